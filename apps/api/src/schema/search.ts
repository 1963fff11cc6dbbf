// `searchImages`: the caller's own images ranked for a text by BLIP's image-text heads (issue 20), with scores,
// and what each hit's conversation is (the newest one about the image, or null: the client starts one).

import { builder } from './builder.js';
import { ConversationRef } from './conversation.js';
import { ImageRef } from './image.js';
import { LimitsRef } from './limits.js';
import { defaultResults, type SearchHit, type SearchResult, searchImages } from './search-run.js';

const ImageSearchHitRef = builder.objectRef<SearchHit>('ImageSearchHit').implement({
  description: 'One of the caller’s images and how well it fits the search text.',
  fields: (t) => ({
    image: t.field({ type: ImageRef, resolve: (hit) => hit.image }),
    score: t.float({
      description:
        'What the hits are ordered by: when this hit was re-ranked, the matching head’s log-odds plus `similarity` / 0.07 (the contrastive temperature: both heads’ logits); else `similarity`.',
      resolve: (hit) => hit.score,
    }),
    similarity: t.exposeFloat('similarity', {
      description: 'Cosine similarity (-1..1) of the image’s and the text’s feature vectors: the first pass.',
    }),
    match: t.exposeFloat('match', {
      nullable: true,
      description:
        'Probability (0..1) that the text describes the image, by the image-text matching head; null unless re-ranked.',
    }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: 'The newest conversation about this image, or null (start one with `caption(imageId:)`).',
      resolve: async (hit, _args, ctx) => {
        const id = await ctx.services.store.features.latestConversationId(ctx.owner, hit.image.id);
        return id === undefined ? null : ((await ctx.services.conversations.get(ctx.owner, id)) ?? null);
      },
    }),
  }),
});

const ImageSearchRef = builder.objectRef<SearchResult>('ImageSearch').implement({
  description: 'A text-to-image search over the caller’s images.',
  fields: (t) => ({
    model: t.exposeString('model', { description: 'The model whose image-text heads ranked the images.' }),
    hits: t.field({
      type: [ImageSearchHitRef],
      description: 'Best first: the re-ranked hits (by `score`), then the rest by similarity.',
      resolve: (r) => r.hits,
    }),
    searched: t.exposeInt('searched', {
      description: 'How many of the caller’s images were searched (all of them).',
    }),
    embedded: t.exposeInt('embedded', {
      description: 'Of them, how many had no stored feature vector yet and were encoded by this search.',
    }),
    reranked: t.exposeInt('reranked', {
      description: 'How many of the top hits the matching head re-ranked.',
    }),
  }),
});

builder.queryField('searchImages', (t) =>
  t.field({
    type: ImageSearchRef,
    description:
      'The caller’s images ranked for a description ("two red circles and a triangle"). The text follows the question limits (limits.maxQuestionChars, limits.maxQuestionTokens); `first` and `rerank` are bounded by limits.search. Every image is compared by feature similarity; the top `rerank` are then re-ordered by the matching head together with their similarity (one model run each). Images without a stored vector are encoded first.',
    args: {
      text: t.arg.string({ required: true }),
      first: t.arg.int({ description: 'How many hits (default limits.search.defaultResults).' }),
      rerank: t.arg.int({
        description: 'Re-rank this many of the top hits by the matching head (default 0).',
      }),
      model: t.arg.string({
        description: 'A loaded model with image-text parts (default: the first that has them).',
      }),
    },
    resolve: (_root, args, ctx) => searchImages(ctx, args),
  }),
);

const SearchLimitsRef = builder
  .objectRef<{ defaults: number; max: number; rerank: number }>('SearchLimits')
  .implement({
    description: 'Bounds of `searchImages` (its text follows the question limits).',
    fields: (t) => ({
      defaultResults: t.exposeInt('defaults', { description: '`first` when not given.' }),
      maxResults: t.exposeInt('max', { description: 'Largest `first`.' }),
      maxRerank: t.exposeInt('rerank', { description: 'Largest `rerank`.' }),
    }),
  });

builder.objectField(LimitsRef, 'search', (t) =>
  t.field({
    type: SearchLimitsRef,
    resolve: (s) => ({
      defaults: defaultResults(s.config),
      max: s.config.searchMaxResults,
      rerank: s.config.searchMaxRerank,
    }),
  }),
);
