// The messages of the open conversation as the UI shows them, and the pure updates a token stream makes to them.
// Each update replaces only the turn it touches, so every other message keeps its identity and does not re-render.
import type { ApiTurn } from './api.js';
import { type FriendlyError, friendly } from './errors.js';

/** Where a turn is; STREAMING is the browser's own state while tokens arrive. */
export type TurnStatus = 'STREAMING' | ApiTurn['status'];

/** Milliseconds per stage, as the API reports them. */
export type TurnTimings = NonNullable<ApiTurn['timings']>;

/** One finished sequence and its score (several when beam search returns alternatives). */
export type Alternative = ApiTurn['alternatives'][number];

/** What a turn is waiting for before its first token (the stream's progress events), or that the server is silent. */
export type TurnProgress =
  | { stage: 'sent' }
  | { stage: 'queued'; position: number }
  | { stage: 'image'; cached: boolean }
  | { stage: 'answering' }
  | { stage: 'stalled' };

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
  /** EOS, or LENGTH when max new tokens cut the answer short. */
  finishReason: ApiTurn['finishReason'];
  /** Before the first token: where the turn is. */
  progress: TurnProgress | null;
  /** The turn this one is a new version of (regenerate, or an edited question), so it shows in that place. */
  replaces: string | null;
  /** How sure the model was (0..1), when the API says; and which model answered. */
  confidence: number | null;
  model: string | null;
  /** True for a turn the server never recorded (kept by the browser so a reload still shows it). */
  unsent: boolean;
}

/** A turn the user has just asked for, before any token. */
export function startTurn(
  key: string,
  kind: TurnView['kind'],
  question: string | null,
  replaces: string | null = null,
): TurnView {
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
    finishReason: null,
    progress: { stage: 'sent' },
    replaces,
    unsent: false,
    confidence: null,
    model: null,
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
  return { ...turn, id: turn.id ?? turnId, text: turn.text + delta, tokens: turn.tokens + 1, progress: null };
}

/** The turn as the server finally recorded it (its text wins over the streamed one: they should agree). */
export function finishTurn(turn: TurnView, done: Partial<TurnView> & { status: TurnStatus }): TurnView {
  return {
    ...turn,
    ...done,
    text: done.text ?? turn.text,
    tokens: Math.max(turn.tokens, done.tokens ?? 0),
    progress: null,
  };
}

/** The user stopped the turn: keep what arrived and mark it cancelled at once (the server confirms later). */
export function cancelTurn(turn: TurnView): TurnView {
  return turn.status === 'STREAMING' ? { ...turn, status: 'CANCELLED', progress: null } : turn;
}

/** The turn failed before or while streaming. */
export function failTurn(turn: TurnView, error: FriendlyError): TurnView {
  // A turn the server never saw (no id yet) is kept by the browser; see unsentTurns.ts.
  return { ...turn, status: 'FAILED', error, progress: null, unsent: turn.id === null };
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
export function fromApiTurn(turn: ApiTurn): TurnView {
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
    finishReason: turn.finishReason,
    progress: null,
    replaces: turn.replaces ?? null,
    unsent: false,
    confidence: turn.confidence,
    model: turn.model,
  };
}
