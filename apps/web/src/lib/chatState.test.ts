import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatReducer, emptyChat, isStreaming } from './chatState.js';
import { appendToken, startTurn } from './turns.js';

test('a token changes only the streaming turn; the finished turns keep their identity', () => {
  let s = chatReducer(emptyChat(), { type: 'add-turn', turn: startTurn('a', 'CAPTION', null) });
  s = chatReducer(s, { type: 'turn', key: 'a', change: (t) => ({ ...t, status: 'COMPLETED' }) });
  s = chatReducer(s, { type: 'add-turn', turn: startTurn('b', 'QUESTION', 'q') });
  const before = s.turns[0];
  const next = chatReducer(s, { type: 'turn', key: 'b', change: (t) => appendToken(t, 'yes', null) });
  assert.equal(next.turns[0], before);
  assert.equal(next.turns[1]?.text, 'yes');
  assert.ok(isStreaming(next));
});

test('an update to a turn that is gone leaves the state as it was', () => {
  const s = emptyChat();
  assert.equal(chatReducer(s, { type: 'turn', key: 'x', change: (t) => t }), s);
});

const NO_SETTINGS = {
  strategy: null,
  numBeams: null,
  numReturnSequences: null,
  lengthPenalty: null,
  temperature: null,
  topK: null,
  topP: null,
  seed: null,
  repetitionPenalty: null,
  minNewTokens: null,
  maxNewTokens: null,
  model: null,
  precision: null,
};

test('opening a stored conversation shows its image, settings and turns', () => {
  const s = chatReducer(emptyChat(), {
    type: 'open',
    conversation: {
      id: 'c1',
      title: null,
      createdAt: '2026-11-28T07:00:00.000Z',
      updatedAt: '2026-11-28T07:00:00.000Z',
      image: { id: 'i1', url: '/images/i1', width: 96, height: 96, filename: null },
      settings: { ...NO_SETTINGS, strategy: 'BEAM', numBeams: 3 },
      turns: [
        {
          id: 't1',
          index: 0,
          replaces: null,
          kind: 'CAPTION',
          question: null,
          answer: 'a red circle',
          status: 'COMPLETED',
          finishReason: 'EOS',
          confidence: 0.9,
          model: 'shapes-demo',
          alternatives: [],
          timings: null,
          tokenIds: [1, 2, 3],
          error: null,
        },
      ],
    },
    unsent: [],
  });
  assert.equal(s.conversationId, 'c1');
  assert.equal(s.preview, '/images/i1');
  assert.equal(s.settings.numBeams, 3);
  assert.equal(s.turns[0]?.text, 'a red circle');
  assert.ok(!isStreaming(s));
  assert.deepEqual(chatReducer(s, { type: 'reset' }).turns, []);
  // A new conversation starts from the defaults: the open one's settings stay with it.
  assert.deepEqual(chatReducer(s, { type: 'reset' }).settings, { strategy: 'GREEDY' });
});
