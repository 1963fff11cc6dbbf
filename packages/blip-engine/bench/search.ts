// `npx tsx packages/blip-engine/bench/search.ts --model /work/fullsize/blip-itm-base-random [--queries 20]
// [--images 5] [--write]`: the cost of text-to-image search on a model with image-text parts (issue 20):
// an image's feature at upload (vision encoder + projection), a query over 1,000 and 10,000 stored vectors (text
// feature + the first pass over the vectors: topBySimilarity, k = 10), and the re-rank per candidate (the matching
// head, with the image's embeddings cached and not). Stored vectors are random unit vectors: only their count
// matters to the time. p50 of each; --write puts the table in BENCHMARKS.md "Search".
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchImage,
  loadNow,
  machineLine,
  ms,
  percentile,
  searchBenchArgs,
  writeNamedSection,
} from '@blip/testing/bench';
import { Blip } from '../src/engine/blip.js';
import { topBySimilarity } from '../src/image-text/rank.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const LIBRARY_SIZES = [1_000, 10_000];
const TOP_K = 10;
const QUERIES = ['two red circles and a triangle', 'a dog on a beach', 'a picture with a purple triangle'];

/** `count` random unit vectors of length `size` (seeded: xorshift). */
function randomLibrary(count: number, size: number, seed = 7): Float32Array[] {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 2 ** 32) * 2 - 1;
  };
  return Array.from({ length: count }, () => {
    const v = Float32Array.from({ length: size }, next);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

async function timed<R>(work: () => Promise<R>): Promise<[R, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

const p50 = (values: number[]) => percentile(values, 50);

async function main(argv: string[]): Promise<void> {
  const { values, model, queries, images: imageCount } = searchBenchArgs(argv, {});
  const blip = await Blip.load(model);
  const rows: string[] = [];
  try {
    const prepared = await Promise.all(
      Array.from({ length: imageCount }, async (_, i) => blip.prepareImage(await benchImage(i))),
    );
    const uploads: number[] = [];
    for (const image of prepared) uploads.push((await timed(() => blip.embedImage(image)))[1]);
    rows.push(
      `| image feature at upload (vision encoder + projection, pixels prepared) | ${ms(p50(uploads))} |`,
    );
    const texts: number[] = [];
    let query: Float32Array = new Float32Array();
    for (let i = 0; i < queries; i++) {
      const text = `${QUERIES[i % QUERIES.length]} ${i}`;
      [query, texts[i]] = await timed(() => blip.embedText(text));
    }
    rows.push(`| text feature of a query | ${ms(p50(texts))} |`);
    for (const size of LIBRARY_SIZES) {
      const library = randomLibrary(size, query.length);
      const scans = Array.from({ length: queries }, () => {
        const start = performance.now();
        topBySimilarity(query, library, TOP_K);
        return performance.now() - start;
      });
      rows.push(
        `| first pass over ${size.toLocaleString('en')} stored vectors (top ${TOP_K}) | ${ms(p50(scans))} |`,
      );
      rows.push(
        `| **query over ${size.toLocaleString('en')} images** (text feature + first pass) | **${ms(p50(texts) + p50(scans))}** |`,
      );
    }
    const cached: number[] = [];
    const cold: number[] = [];
    for (const [i, image] of prepared.entries()) {
      cached.push((await timed(() => blip.match(image, QUERIES[0] as string)))[1]);
      const fresh = await blip.prepareImage(await benchImage(1000 + i)); // never embedded: vision runs too
      cold.push((await timed(() => blip.match(fresh, QUERIES[0] as string)))[1]);
    }
    rows.push(`| re-rank, per candidate, image embeddings cached (matching head) | ${ms(p50(cached))} |`);
    rows.push(
      `| re-rank, per candidate, image not cached (vision encoder + matching head) | ${ms(p50(cold))} |`,
    );
  } finally {
    await blip.dispose();
  }
  const when = new Date().toISOString().slice(0, 16);
  const load = loadNow().toFixed(1);
  const command = `npx tsx packages/blip-engine/bench/search.ts --model ${model.startsWith(REPO_ROOT) ? relative(REPO_ROOT, model) : model} --queries ${queries} --images ${imageCount}`;
  const section = [
    '## Search',
    '',
    `Command: \`${command}\` (${when}Z) — ${machineLine()}, load average ${load} at the end, engine defaults (${blip.info.inferencePrecision}). Model: the random-init full-size \`blip-vqa-base\` config with its image-text parts (D = 256; \`npm run models -- export --random-init blip-vqa-base --out /work/fullsize/blip-itm-base-random\`). Stored vectors are random unit vectors held in memory ("Search through the API" below times the same with them read from the API's SQLite). p50 of ${queries} queries / ${imageCount} images.`,
    '',
    '| what | p50 ms |',
    '|---|---:|',
    ...rows,
  ].join('\n');
  console.log(section);
  if (values.write) await writeNamedSection(resolve(REPO_ROOT, 'BENCHMARKS.md'), 'Search', section);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
