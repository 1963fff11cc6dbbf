// Soak: 2,000 questions in a row through the API on tiny-vqa, with RSS and open file handles sampled as it goes;
// both must stay flat once warmed up. Bounded by count (the same work on a fast or a busy machine); the test's
// timeout only stops a hang.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Api, openFds, rssMiB, startApi } from './api.js';
import { gql, outcome, pngOf, upload } from './client.js';
import { recordCase, recordFigure } from './results.js';

const QUESTIONS = 2000;
/** Questions before the baseline sample: caches, JIT and SQLite pages warm up. */
const WARMUP = 200;
const SAMPLE_EVERY = 100;
/** A new conversation every this many questions (follow-ups in between). */
const PER_CONVERSATION = 50;
/** Stops a hung soak (2,000 questions take ~25 s on an idle machine); never part of what is measured. */
const HANG_TIMEOUT_MS = 600_000;
/** RSS moves in a sawtooth as the server's garbage collections come and go (the committed report shows it rise
 * ~70 MiB over ~900 questions, then drop back), and when the collections come depends on the machine's load. So
 * "flat" compares floors: the lowest sample of the second half against the lowest from the warm-up to the middle.
 * A leak raises the floor: this bound is a leak of 36 KiB per question over the 1,800 questions measured. */
const RSS_FLOOR_GROWTH_LIMIT_MIB = 64;
const FD_GROWTH_LIMIT = 3;
const ASK = `mutation ($i: ID!, $c: ID, $q: String!) {
  answer(imageId: $i, conversationId: $c, question: $q, options: { maxNewTokens: 6 }) { text conversation { id } }
}`;
/** /metrics is not public: the soak reads it with a token of its own. */
const METRICS_TOKEN = 'soak-metrics-token';
let api: Api;
const images: string[] = [];

before(async () => {
  api = await startApi({ env: { METRICS_TOKEN } });
  for (const rgb of [
    [250, 0, 0],
    [0, 250, 0],
    [0, 0, 250],
    [120, 120, 0],
  ] as [number, number, number][]) {
    images.push((await upload(api.graphql, await pngOf(64, 64, rgb))).data?.uploadImage.id as string);
  }
});
after(() => api.stop());

/** The server's V8 heap in use, MiB (prom-client's default metrics). */
async function heapMiB(): Promise<number> {
  const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
  const text = await (await fetch(`${api.url}/metrics`, { headers: auth })).text();
  const bytes = Number(/^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1]);
  return Math.round(bytes / 104857.6) / 10;
}

test(`${QUESTIONS} questions in a row: RSS and open file handles stay flat`, {
  timeout: HANG_TIMEOUT_MS,
}, async () => {
  const samples: { n: number; rss: number; fds: number; heap: number }[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  let conversation: string | undefined;
  let asked = 0;
  for (; asked < QUESTIONS; asked++) {
    const imageId = images[Math.floor(asked / PER_CONVERSATION) % images.length] as string;
    if (asked % PER_CONVERSATION === 0) conversation = undefined;
    const r = await gql<{ answer: { conversation: { id: string } } }>(api.graphql, ASK, {
      i: imageId,
      c: conversation,
      q: `question ${asked}: how many shapes are there?`,
    });
    if (r.data) conversation = r.data.answer.conversation.id;
    else failures[outcome(r)] = (failures[outcome(r)] ?? 0) + 1;
    if ((asked + 1) % SAMPLE_EVERY === 0)
      samples.push({ n: asked + 1, rss: rssMiB(api.pid), fds: openFds(api.pid), heap: await heapMiB() });
  }
  const seconds = (performance.now() - started) / 1000;
  const base = samples.find((s) => s.n === WARMUP) ?? samples[0];
  const last = samples.at(-1);
  const middle = samples.find((s) => s.n === Math.floor(asked / 2 / SAMPLE_EVERY) * SAMPLE_EVERY);
  assert.ok(base && last && middle, 'no samples');
  const peak = Math.max(...samples.map((s) => s.rss));
  recordFigure('soak', 'questions answered in a row', asked);
  recordFigure('soak', 'wall time', Math.round(seconds), 's');
  recordFigure('soak', 'mean per question', Math.round((seconds * 1000) / asked), 'ms');
  recordFigure('soak', `RSS after ${base.n} questions`, base.rss, 'MiB');
  recordFigure('soak', `RSS after ${last.n} questions`, last.rss, 'MiB');
  recordFigure('soak', 'RSS peak', peak, 'MiB');
  recordFigure('soak', `open fds after ${base.n} / ${last.n} questions`, `${base.fds} / ${last.fds}`);
  recordFigure(
    'soak',
    `JS heap used after ${base.n} / ${last.n} questions`,
    `${base.heap} / ${last.heap}`,
    'MiB',
  );
  recordFigure('soak', `RSS every ${SAMPLE_EVERY} questions`, samples.map((s) => s.rss).join(' '), 'MiB');
  assert.ok(recordCase('soak', 'failed questions', '{}', JSON.stringify(failures)));
  const floor = (from: number, to: number) =>
    Math.min(...samples.filter((s) => s.n >= from && s.n <= to).map((s) => s.rss));
  const [baseFloor, endFloor] = [floor(base.n, middle.n), floor(middle.n + 1, last.n)];
  const growth = Math.round((endFloor - baseFloor) * 10) / 10;
  assert.ok(
    recordCase(
      'soak',
      `RSS floor growth: lowest of questions ${middle.n + SAMPLE_EVERY}–${last.n} against lowest of ${base.n}–${middle.n}`,
      `≤ ${RSS_FLOOR_GROWTH_LIMIT_MIB} MiB`,
      `${growth} MiB (${baseFloor} → ${endFloor} MiB)`,
      growth <= RSS_FLOOR_GROWTH_LIMIT_MIB,
    ),
  );
  const fdGrowth = last.fds - base.fds;
  assert.ok(
    recordCase(
      'soak',
      `open file handle growth from question ${base.n} to ${last.n}`,
      `≤ ${FD_GROWTH_LIMIT}`,
      String(fdGrowth),
      fdGrowth <= FD_GROWTH_LIMIT,
    ),
  );
});
