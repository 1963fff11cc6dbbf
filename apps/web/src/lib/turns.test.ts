import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  appendToken,
  cancelTurn,
  failTurn,
  finishTurn,
  fromApiTurn,
  startTurn,
  tokensPerSecond,
  updateTurn,
} from './turns.js';

test('tokens accumulate into the streaming turn and count', () => {
  let t = startTurn('k', 'QUESTION', 'how many circles?');
  t = appendToken(t, 'two', 'turn-1');
  t = appendToken(t, '', null);
  t = appendToken(t, ' red', null);
  assert.equal(t.text, 'two red');
  assert.equal(t.tokens, 3);
  assert.equal(t.id, 'turn-1');
});

test('a token after a stop is ignored, so the cancelled text stops growing', () => {
  const stopped = cancelTurn(appendToken(startTurn('k', 'CAPTION', null), 'a', null));
  assert.equal(stopped.status, 'CANCELLED');
  assert.equal(appendToken(stopped, 'b', null), stopped);
  assert.equal(cancelTurn(stopped), stopped);
});

test('updateTurn replaces only the named turn and keeps the others identical', () => {
  const a = startTurn('a', 'CAPTION', null);
  const b = startTurn('b', 'QUESTION', 'q');
  const turns = [a, b];
  const next = updateTurn(turns, 'b', (t) => appendToken(t, 'x', null));
  assert.notEqual(next, turns);
  assert.equal(next[0], a);
  assert.equal(next[1]?.text, 'x');
  assert.equal(
    updateTurn(turns, 'missing', (t) => t),
    turns,
  );
});

test('the finished turn takes the server text, status and timings', () => {
  const streamed = appendToken(startTurn('k', 'QUESTION', 'q'), 'tw', null);
  const done = finishTurn(streamed, {
    status: 'COMPLETED',
    text: 'two',
    timings: { firstTokenMs: 10, totalMs: 50, perTokenMs: 5, queueMs: 0, visionMs: 0 },
  });
  assert.equal(done.text, 'two');
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.key, 'k');
});

test('a failure keeps the streamed text and carries the friendly error', () => {
  const failed = failTurn(appendToken(startTurn('k', 'QUESTION', 'q'), 'ab', null), {
    code: 'OVERLOADED',
    message: 'busy',
  });
  assert.equal(failed.status, 'FAILED');
  assert.equal(failed.text, 'ab');
  assert.equal(failed.error?.code, 'OVERLOADED');
});

test('tokens per second comes from the mean decoder step, whatever the arrival times', () => {
  const timings = { firstTokenMs: 100, totalMs: 101, perTokenMs: 20, queueMs: 0, visionMs: 5 };
  assert.equal(tokensPerSecond(11, timings), 50);
  assert.equal(tokensPerSecond(1, timings), null);
  assert.equal(tokensPerSecond(5, null), null);
  assert.equal(tokensPerSecond(5, { ...timings, perTokenMs: 0 }), null);
});

test('a stored turn becomes a view keyed by its id, with a friendly error', () => {
  const view = fromApiTurn({
    id: 't1',
    index: 1,
    replaces: null,
    kind: 'QUESTION',
    question: 'q',
    answer: null,
    status: 'FAILED',
    finishReason: null,
    confidence: null,
    model: 'shapes-demo',
    alternatives: [],
    timings: null,
    tokenIds: [],
    error: { code: 'OVERLOADED', message: 'queue full' },
  });
  assert.equal(view.key, 't1');
  assert.equal(view.text, '');
  assert.match(view.error?.message ?? '', /busy/);
});
