// Text-to-image search over the caller's own images (issue 20). First pass: the cosine similarity of the text's
// feature vector with every image's stored vector (uploads store theirs when the engine has room: images/vectors.ts;
// vectors missing for this model's space are computed now and stored: images uploaded before that, under load,
// or before a model change); optional second pass: the top `rerank` re-ordered by the image-text matching head
// (one engine run each) together with their similarity (the engine's rerankScore). The engine owns the text rules (the question limits) and
// admission; the API owns the owner scoping, the bounds on first/rerank, and the stored vectors.
import { type Engine, type ImageRef, rerankScore, topBySimilarity } from '@blip/engine';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { ApiError, isBlipError, toClientError } from '../errors.js';
import { defaultSearchModel } from '../images/vectors.js';
import type { StoredVector } from '../store/image-features.js';
import type { ImageRecord } from '../store/types.js';

export interface SearchArgs {
  text: string;
  first?: number | null;
  rerank?: number | null;
  model?: string | null;
}

/** One ranked image. */
export interface SearchHit {
  image: ImageRecord;
  /** Cosine similarity of the image's and the text's vectors, -1..1. */
  similarity: number;
  /** Matching probability 0..1 when this hit was re-ranked, else null. */
  match: number | null;
  /** What the hits are ordered by: rerankScore(similarity, match) when re-ranked, else the similarity. */
  score: number;
}

export interface SearchResult {
  model: string;
  hits: SearchHit[];
  /** The caller's images searched. */
  searched: number;
  /** Of them, the ones whose vector was computed by this search (not stored before). */
  embedded: number;
  /** How many of the top hits the matching head re-ranked. */
  reranked: number;
}

/** Runs one search for ctx.owner; typed errors name the argument at fault. */
export async function searchImages(ctx: Context, args: SearchArgs): Promise<SearchResult> {
  const { config, engine, store } = ctx.services;
  const first = bounded(args.first ?? defaultResults(config), 'first', 1, config.searchMaxResults);
  const rerank = bounded(args.rerank ?? 0, 'rerank', 0, config.searchMaxRerank);
  const model = searchModel(engine, args.model ?? undefined);
  const call = { signal: ctx.signal };
  const query = await engineCall(() => engine.embedText({ model, text: args.text }, call));
  const library = await store.features.forOwner(ctx.owner, query.space);
  let embedded = 0;
  for (const row of library) {
    if (row.vector) continue;
    row.vector = (
      await engineCall(() => engine.embedImage({ model, image: imageRef(ctx, row.sha256) }, call))
    ).vector;
    await store.features.put(row.imageId, query.space, row.vector);
    embedded++;
  }
  const vectors = library.map((row) => row.vector as Float32Array);
  const top = topBySimilarity(query.vector, vectors, Math.max(first, rerank));
  const ids = top.map(({ index }) => (library[index] as StoredVector).imageId);
  const images = await store.images.getMany(ctx.owner, ids);
  // An image deleted since the first read is left out.
  const hits: SearchHit[] = top.flatMap(({ score }, i) => {
    const image = images.get(ids[i] as string);
    return image ? [{ image, similarity: score, match: null, score }] : [];
  });
  const reranked = hits.slice(0, rerank);
  for (const hit of reranked) {
    const matched = await engineCall(() =>
      engine.match({ model, image: imageRef(ctx, hit.image.sha256), text: args.text }, call),
    );
    hit.match = matched.probability;
    hit.score = rerankScore(hit.similarity, matched.probability);
  }
  reranked.sort((a, b) => b.score - a.score);
  return {
    model,
    hits: [...reranked, ...hits.slice(rerank)].slice(0, first),
    searched: library.length,
    embedded,
    reranked: reranked.length,
  };
}

/** `first` when not given: the setting, within the largest `first`. */
export function defaultResults(config: Config): number {
  return Math.min(config.searchDefaultResults, config.searchMaxResults);
}

/** An integer argument within its settings, else BAD_USER_INPUT naming it. */
function bounded(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ApiError(
      'BAD_USER_INPUT',
      `${field} must be an integer from ${min} to ${max}, got ${value}`,
      field,
    );
  return value;
}

/** The model asked for, or the first loaded model that can search; UNSUPPORTED_TASK when it cannot. */
function searchModel(engine: Engine, asked: string | undefined): string {
  const models = engine.models();
  const model = asked === undefined ? defaultSearchModel(engine) : models.find((m) => m.id === asked);
  if (asked !== undefined && !model)
    throw new ApiError(
      'BAD_USER_INPUT',
      `model "${asked}" is not loaded; loaded: ${models.map((m) => m.id).join(', ')}`,
      'model',
    );
  if (!model?.capabilities.includes('embed') || !model.capabilities.includes('match'))
    throw new ApiError(
      'UNSUPPORTED_TASK',
      model
        ? `${model.id} has no image-text parts: it cannot search`
        : 'no loaded model has image-text parts: nothing can search',
      'model',
    );
  return model.id;
}

/** The engine's reference to a stored image: its content key, and its stored bytes after the caches forgot it. */
function imageRef(ctx: Context, sha256: string): ImageRef {
  return { key: sha256, load: () => ctx.services.images.read({ sha256 }) };
}

/** An engine call whose refusal of the text names the search's `text` argument. */
async function engineCall<R>(run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (err) {
    if (isBlipError(err) && err.code === 'INVALID_QUESTION')
      throw new ApiError('BAD_USER_INPUT', err.message.replace(/\bquestion\b/, 'search text'), 'text');
    throw toClientError(err);
  }
}
