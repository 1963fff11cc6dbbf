// The messages of the open conversation as the UI shows them, and the pure updates a token stream makes to them.
// Each update replaces only the turn it touches, so every other message keeps its identity and does not re-render.
import { type FriendlyError, friendly } from './errors.js';

/** Where a turn is; STREAMING is the browser's own state while tokens arrive. */
export type TurnStatus = 'STREAMING' | 'PENDING' | 'COMPLETED' | 'CANCELLED' | 'INTERRUPTED' | 'FAILED';

/** Milliseconds per stage, as the API reports them. */
export interface TurnTimings {
  firstTokenMs: number;
  totalMs: number;
  perTokenMs: number;
  queueMs: number;
  visionMs: number;
}

/** One finished sequence and its score (several when beam search returns alternatives). */
export interface Alternative {
  text: string;
  score: number;
}

/** One caption or question and its answer. */
export interface TurnView {
  /** Stable React key: the server id once known, a local id before. */
  key: string;
  id: string | null;
  kind: 'CAPTION' | 'QUESTION';
  question: string | null;
  text: string;
  /** Tokens received so far (for tokens/s). */
  tokens: number;
  status: TurnStatus;
  alternatives: Alternative[];
  timings: TurnTimings | null;
  error: FriendlyError | null;
}

/** A turn the user has just asked for, before any token. */
export function startTurn(key: string, kind: TurnView['kind'], question: string | null): TurnView {
  return {
    key,
    id: null,
    kind,
    question,
    text: '',
    tokens: 0,
    status: 'STREAMING',
    alternatives: [],
    timings: null,
    error: null,
  };
}

/** Returns `turns` with the turn keyed `key` replaced by `change(turn)`; the same array when there is no such turn. */
export function updateTurn(turns: TurnView[], key: string, change: (turn: TurnView) => TurnView): TurnView[] {
  const i = turns.findIndex((t) => t.key === key);
  const turn = turns[i];
  if (!turn) return turns;
  const next = turns.slice();
  next[i] = change(turn);
  return next;
}

/** Appends one streamed token's text; a token that arrives after the turn ended is ignored. */
export function appendToken(turn: TurnView, delta: string, turnId: string | null): TurnView {
  if (turn.status !== 'STREAMING') return turn;
  return { ...turn, id: turn.id ?? turnId, text: turn.text + delta, tokens: turn.tokens + 1 };
}

/** The turn as the server finally recorded it (its text wins over the streamed one: they should agree). */
export function finishTurn(turn: TurnView, done: Partial<TurnView> & { status: TurnStatus }): TurnView {
  return { ...turn, ...done, text: done.text ?? turn.text, tokens: Math.max(turn.tokens, done.tokens ?? 0) };
}

/** The user stopped the turn: keep what arrived and mark it cancelled at once (the server confirms later). */
export function cancelTurn(turn: TurnView): TurnView {
  return turn.status === 'STREAMING' ? { ...turn, status: 'CANCELLED' } : turn;
}

/** The turn failed before or while streaming. */
export function failTurn(turn: TurnView, error: FriendlyError): TurnView {
  return { ...turn, status: 'FAILED', error };
}

/**
 * Decoding speed of a finished answer, tokens/s, from the engine's mean decoder step (not from wall time: beam search
 * streams its tokens only at the end, so arrival times say nothing about speed); null when it cannot be told.
 */
export function tokensPerSecond(tokens: number, timings: TurnTimings | null): number | null {
  if (!timings || tokens < 2 || !(timings.perTokenMs > 0)) return null;
  return 1000 / timings.perTokenMs;
}

/** The view of a turn the API stored (a reloaded conversation, or the final event of a stream). */
export function fromApiTurn(turn: {
  id: string;
  kind: TurnView['kind'];
  question: string | null;
  answer: string | null;
  status: Exclude<TurnStatus, 'STREAMING'>;
  alternatives: Alternative[];
  timings: TurnTimings | null;
  tokenIds: number[];
  error: { code: string; message: string } | null;
}): TurnView {
  return {
    key: turn.id,
    id: turn.id,
    kind: turn.kind,
    question: turn.question,
    text: turn.answer ?? '',
    tokens: turn.tokenIds.length,
    status: turn.status,
    alternatives: turn.alternatives.map(({ text, score }) => ({ text, score })),
    timings: turn.timings,
    error: turn.error ? friendly(turn.error.code, turn.error.message) : null,
  };
}
