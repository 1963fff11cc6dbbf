// Benchmark contender: our engine exactly as an app loads it — `Blip.load(folder)` with no options, so the
// precision and hints are the engine's defaults. Served requests (one per stdin line, `end` to stop):
// `<image index> <answer|caption> <new tokens>`, each answered from the JPEG bytes (a new image: preprocessing
// and the vision encoder run) with `@@ <sample JSON>`; the report (--out) names the precision it ran at.
// Usage: tsx packages/blip-engine/bench/contender-defaults.ts --model DIR --images DIR --question Q --out FILE
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Blip } from '../src/engine/blip.js';
import type { Timings } from '../src/types.js';
import { PROTOCOL_PREFIX } from './contender-engine.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    images: { type: 'string' },
    question: { type: 'string' },
    out: { type: 'string' },
  },
});

async function main(): Promise<void> {
  const { model, images: folder, question, out } = values;
  if (!model || !folder || !question || !out)
    throw new Error('--model, --images, --question and --out are required');
  const names = (await readdir(folder)).filter((n) => n.endsWith('.jpg')).sort();
  const images = await Promise.all(names.map((n) => readFile(join(folder, n))));
  const blip = await Blip.load(model);
  const run = (index: number, task: string, tokens: number) => {
    const image = new Uint8Array(images[index % images.length] as Buffer);
    const forced = { minNewTokens: tokens, maxNewTokens: tokens };
    return task === 'caption' ? blip.caption(image, forced) : blip.answer(image, question, forced);
  };
  // Warm-up, as the Python contenders do, on the folder's last image: the bench never asks about that one, so
  // no measured call finds its embeddings cached (the tutorial caches nothing; image 0 here made the first
  // round's 20-token answer skip the vision encoder).
  await run(images.length - 1, 'answer', 20);
  console.log(`${PROTOCOL_PREFIX}ready`);
  const samples: (Timings & { task: string })[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'end') break;
    const [index = '0', task = 'answer', tokens = '20'] = line.split(' ');
    const result = await run(Number(index), task, Number(tokens));
    if (result.tokenIds.length !== Number(tokens))
      throw new Error(`expected ${tokens} tokens, got ${result.tokenIds.length}`);
    samples.push({ ...result.timings, task });
    console.log(PROTOCOL_PREFIX + JSON.stringify({ ...result.timings, tokenIds: result.tokenIds }));
  }
  const settings = {
    load: 'Blip.load(folder) with no options',
    INFERENCE_PRECISION_HINT: blip.info.inferencePrecision,
  };
  await writeFile(out, JSON.stringify({ contender: 'engine-defaults', settings, samples }, null, 1));
  await blip.dispose();
}

main().catch((error: unknown) => {
  console.error(`engine contender failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
