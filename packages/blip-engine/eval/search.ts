// Text-to-image search with the demo model's image-text heads (issue 20's Show list), THROUGH THE ENGINE:
//   tsx packages/blip-engine/eval/search.ts [--model models/shapes-demo] [--scenes 200] [--seed S] [--rerank 10]
//        [--sets own,independent-any,independent-white,independent-dark] [--precision auto|f32|bf16]
// Per set: N fresh scenes (shapes.search_set, seed S + 7919 i) form one owner's library; queries are each scene's
// full caption and one partial everyday description. Images are embedded once (embedImage), queries by embedText;
// the library is ranked by cosine similarity, then the top k re-ranked as the API does (rerankScore: the matching
// head's log-odds plus similarity / τ), and, for comparison, by the matching head alone. A hit at k: one of
// the first k is an image the query is true of. Independent sets are drawn by the SVG renderer (render-svg.ts).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Blip } from '../src/engine/blip.js';
import { INFERENCE_PRECISIONS, type InferencePrecision } from '../src/engine/load-options.js';
import { rerankScore } from '../src/image-text/rank.js';
import { REPO_ROOT } from './heldout-set.js';
import { renderScene, type SceneSpec } from './render-svg.js';
import { Recall, rankByCosine, reorderTop } from './search-score.js';
import { setSeed } from './sets.js';

export const SEARCH_DEFAULTS = { model: 'models/shapes-demo', scenes: 200, seed: 2_000_003, rerank: 10 };
const KS = [1, 5] as const;
const SETS: Record<string, { label: string; args: string[] }> = {
  own: { label: 'own generator', args: ['--kind', 'own'] },
  'independent-any': { label: 'independent SVG renderer, mixed backgrounds', args: ['--kind', 'spec'] },
  'independent-white': {
    label: 'independent SVG renderer, white',
    args: ['--kind', 'spec', '--background', 'white'],
  },
  'independent-dark': {
    label: 'independent SVG renderer, dark',
    args: ['--kind', 'spec', '--background', 'dark'],
  },
};

interface Query {
  text: string;
  kind: 'full' | 'partial';
  relevant: number[];
}
interface SearchSet {
  images: string[];
  queries: Query[];
  scenes?: Record<string, SceneSpec>;
}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: SEARCH_DEFAULTS.model },
      scenes: { type: 'string', default: String(SEARCH_DEFAULTS.scenes) },
      seed: { type: 'string', default: String(SEARCH_DEFAULTS.seed) },
      rerank: { type: 'string', default: String(SEARCH_DEFAULTS.rerank) },
      sets: { type: 'string', default: Object.keys(SETS).join(',') },
      precision: { type: 'string', default: 'auto' },
    },
  });
  const int = (name: string, v: string) => {
    if (!/^\d+$/.test(v))
      throw new Error(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  const sets = values.sets.split(',');
  for (const name of sets)
    if (!SETS[name]) throw new Error(`unknown set ${name}; known: ${Object.keys(SETS)}`);
  if (!(INFERENCE_PRECISIONS as readonly string[]).includes(values.precision))
    throw new Error(`--precision must be one of ${INFERENCE_PRECISIONS.join(', ')}`);
  return {
    model: resolve(values.model),
    scenes: int('scenes', values.scenes),
    seed: int('seed', values.seed),
    rerank: int('rerank', values.rerank),
    sets,
    precision: values.precision as InferencePrecision,
  };
}

/** The set's image bytes, in library order: PNGs from the generator, or spec scenes drawn here. */
async function libraryImages(dir: string, set: SearchSet): Promise<Uint8Array[]> {
  const scenes = set.scenes;
  if (scenes)
    return Promise.all(set.images.map(async (name) => (await renderScene(scenes[name] as SceneSpec)).bytes));
  return Promise.all(set.images.map(async (name) => new Uint8Array(await readFile(join(dir, name)))));
}

/** Recall per way of ranking: the first pass, the product's re-rank (rerankScore), the matching head alone. */
const recalls = () => ({ plain: new Recall(KS), reranked: new Recall(KS), matchOnly: new Recall(KS) });

/** Embeds the library, runs every query, returns recall with and without re-rank per query kind. */
async function evaluate(blip: Blip, set: SearchSet, images: Uint8Array[], rerank: number) {
  const vectors: Float32Array[] = [];
  for (const bytes of images) vectors.push(await blip.embedImage(bytes));
  const recall = { full: recalls(), partial: recalls() };
  for (const query of set.queries) {
    const relevant = new Set(query.relevant);
    const ranked = rankByCosine(vectors, await blip.embedText(query.text));
    recall[query.kind].plain.add(ranked, relevant);
    const top = ranked.slice(0, rerank);
    const matches: number[] = [];
    for (const r of top) matches.push(await blip.match(images[r.index] as Uint8Array, query.text));
    const scores = top.map((r, i) => rerankScore(r.score, matches[i] as number));
    recall[query.kind].reranked.add(reorderTop(ranked, scores), relevant);
    recall[query.kind].matchOnly.add(reorderTop(ranked, matches), relevant);
  }
  return recall;
}

async function main(argv: string[]): Promise<void> {
  const o = options(argv);
  const blip = await Blip.load(o.model, { inferencePrecision: o.precision });
  console.log(
    `model ${o.model} (${blip.info.source}; runs at ${blip.info.inferencePrecision}); ${o.scenes} scenes per set; ` +
      `base seed ${o.seed}; re-rank top ${o.rerank}`,
  );
  console.log(
    '\n| set | queries | recall@1 | recall@5 | recall@1 re-ranked | recall@5 re-ranked | recall@1 / @5 by match only |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|');
  try {
    for (const [i, name] of o.sets.entries()) {
      const dir = await mkdtemp(join(tmpdir(), `search-${name}-`));
      try {
        const seed = setSeed(o.seed, i);
        const args = [
          '-m',
          'shapes.search_set',
          '--out',
          dir,
          '--seed',
          String(seed),
          '--scenes',
          String(o.scenes),
        ];
        await promisify(execFile)(join(REPO_ROOT, 'scripts/py'), [...args, ...(SETS[name]?.args ?? [])]);
        const set = JSON.parse(await readFile(join(dir, 'set.json'), 'utf8')) as SearchSet;
        const recall = await evaluate(blip, set, await libraryImages(dir, set), o.rerank);
        for (const kind of ['full', 'partial'] as const) {
          const { plain, reranked, matchOnly } = recall[kind];
          const what = kind === 'full' ? 'full captions' : 'partial descriptions';
          console.log(
            `| ${SETS[name]?.label} (seed ${seed}) | ${plain.total} ${what} | ${plain.percent(1)} | ${plain.percent(5)} | ${reranked.percent(1)} | ${reranked.percent(5)} | ${matchOnly.percent(1)} / ${matchOnly.percent(5)} |`,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await blip.dispose();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
