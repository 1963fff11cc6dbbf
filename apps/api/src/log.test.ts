// Structured logs: every line about a generation — the API's and the engine's — carries the request id and the
// turn id, and no line carries the owner key, the cookie, the question or the answer. Run on the stand-in engine
// (which logs as the Engine contract says) and once on the real engine (tiny-vqa), whose own lines must carry the
// API's ids too. The lines are read from the logger's own stream, as a log shipper would read stdout.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import type { Engine } from '@blip/engine';
import { StandInEngine } from '@blip/engine/testing';
import { startApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { fixture, readSse, TINY_MODEL, tempDataDir, uploadForm } from './testing/harness.js';

const OWNER_KEY = 'owner-key-that-must-never-be-logged-0123';
const COOKIE = 'blip_owner=cookie-value-that-must-never-be-logged';
const QUESTION = 'is the secret question in the logs?';

const ENGINES: { label: string; model: string; engine?: () => Promise<Engine> }[] = [
  { label: 'stand-in engine', model: 'stand-in', engine: async () => new StandInEngine() },
  { label: 'real engine (tiny-vqa)', model: 'tiny-vqa' },
];

for (const { label, model, engine } of ENGINES)
  test(`${label}: every line about a generation has requestId and turnId; no secret, question or answer is logged`, async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig(
      {},
      { port: 0, host: '127.0.0.1', models: [TINY_MODEL], dataDir: tempDataDir(), logLevel: 'debug' },
    );
    const app = await startApp(config, { log: createLogger('debug', sink), ...(engine ? { engine } : {}) });
    const headers = { 'x-owner-key': OWNER_KEY, cookie: COOKIE, 'x-request-id': 'req-0042' };
    try {
      const up = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'x-graphql-yoga-csrf': '1' },
        body: uploadForm(fixture('shapes-640x480.png'), 'shapes.png'),
      });
      const imageId = ((await up.json()) as { data: { uploadImage: { id: string } } }).data.uploadImage.id;
      let answer = '';
      let turnId = '';
      const query = `subscription ($i: ID!, $q: String!) { answerStream(imageId: $i, question: $q, options: { maxNewTokens: 4 }) {
      __typename ... on StreamStarted { turn { id } } ... on StreamCompleted { answer { text } } } }`;
      for await (const r of readSse(`${app.url}/graphql`, query, { i: imageId, q: QUESTION }, headers)) {
        const e = (r.data as { answerStream: { turn?: { id: string }; answer?: { text: string } } })
          .answerStream;
        turnId ||= e.turn?.id ?? '';
        answer = e.answer?.text ?? answer;
      }
      assert.ok(turnId && answer, 'the answer streamed');
      const about = lines.filter((l) => l.turnId === turnId);
      const messages = about.map((l) => l.msg);
      for (const expected of ['turn started', 'generation done', 'turn ended'])
        assert.ok(messages.includes(expected), `no "${expected}" line: ${JSON.stringify(messages)}`);
      assert.ok(
        about.every((l) => l.requestId === 'req-0042'),
        'every turn line has the request id',
      );
      assert.ok(
        lines.some((l) => l.msg === 'generation done' && l.model === model && l.turnId === turnId),
        "the engine's own line carries the API's ids",
      );
      const all = JSON.stringify(lines);
      for (const secret of [OWNER_KEY, 'cookie-value-that-must-never-be-logged', QUESTION])
        assert.ok(!all.includes(secret), `the logs contain ${secret}`);
      assert.ok(!all.includes(`"${answer}"`), 'the logs contain the answer');
    } finally {
      await app.close();
    }
  });
