// A turn seen from any replica: the replica that runs it relays its events on `turn:<id>`; another replica can
// follow them (turnStream) or ask for it to stop (cancelTurn). Pub/sub is fire-and-forget, so whoever waits on
// it also re-reads the store every `pollMs`: an event missed while subscribing costs a beat, never a hang.
import { ApiError, type ApiErrorCode, ERROR_CODES } from '../errors.js';
import type { StreamPayload } from '../generation/session.js';
import type { TurnRepo } from '../store/turns.js';
import type { ConversationRecord, TurnRecord } from '../store/types.js';
import type { ClusterSignals, TurnSignal } from './signals.js';

/** Publishes every event of a running turn; when it stops without an answer, says so with `ended`. */
export function relay(
  events: AsyncIterableIterator<StreamPayload>,
  signals: ClusterSignals,
  turns: TurnRepo,
): AsyncIterableIterator<StreamPayload> {
  let turnId: string | undefined;
  let completed = false;
  const publish = (signal: TurnSignal) => {
    if (turnId) signals.pubsub.publish('turn', turnId, signal);
  };
  // After the runner stored the ending (its generator's finally ran), tell followers how it ended.
  const ended = async () => {
    if (!turnId || completed) return;
    const turn = await turns.get(turnId).catch(() => undefined);
    publish({ kind: 'ended', status: turn?.status ?? 'INTERRUPTED' });
  };
  return {
    async next() {
      try {
        const step = await events.next();
        if (step.done) await ended();
        else {
          if (step.value.kind === 'started') turnId = step.value.turn.id;
          if (step.value.kind === 'completed') completed = true;
          publish(step.value as unknown as TurnSignal);
        }
        return step;
      } catch (err) {
        await ended();
        throw err;
      }
    },
    async return(value?: unknown) {
      const step = await (events.return?.(value) ?? { done: true as const, value: undefined });
      await ended();
      return step;
    },
    throw: (err?: unknown) => events.throw?.(err) ?? Promise.reject(err),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Tells followers that these turns ended without their runner (its lease expired). */
export function announceInterrupted(signals: ClusterSignals, turnIds: string[]): void {
  for (const id of turnIds) signals.pubsub.publish('turn', id, { kind: 'ended', status: 'INTERRUPTED' });
}

/** A turn that is no longer PENDING, as the last event a follower gets (or its error). */
function ending(turn: TurnRecord, conversation: ConversationRecord): StreamPayload {
  if (turn.status === 'COMPLETED') {
    const imageCacheHit = turn.timings ? turn.timings.visionMs === 0 : false;
    return { kind: 'completed', answer: { conversation, turn, imageCacheHit } };
  }
  if (turn.status === 'CANCELLED') throw new ApiError('CANCELLED', `turn ${turn.id} was cancelled`);
  if (turn.status === 'INTERRUPTED')
    throw new ApiError('SHUTTING_DOWN', turn.errorMessage ?? `the server running turn ${turn.id} stopped`);
  const code = turn.errorCode && turn.errorCode in ERROR_CODES ? turn.errorCode : 'INTERNAL_SERVER_ERROR';
  throw new ApiError(code as ApiErrorCode, turn.errorMessage ?? `turn ${turn.id} failed`);
}

/** Waits for the next signal or `pollMs`, whichever comes first ('tick'). */
async function nextOrTick<T>(pending: Promise<IteratorResult<T>>, pollMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const tick = new Promise<'tick'>((resolve) => {
    timer = setTimeout(() => resolve('tick'), pollMs);
  });
  try {
    return await Promise.race([pending, tick]);
  } finally {
    clearTimeout(timer);
  }
}

/** The events of a turn of `conversation` from now on, wherever it runs; its ending if it already ended. */
export async function* followTurn(
  turnId: string,
  conversation: ConversationRecord,
  deps: { signals: ClusterSignals; turns: TurnRepo; pollMs: number },
): AsyncGenerator<StreamPayload> {
  const subscription = deps.signals.pubsub.subscribe('turn', turnId);
  const signals = subscription[Symbol.asyncIterator]();
  try {
    let pending = signals.next();
    let stored = await deps.turns.get(turnId);
    for (;;) {
      if (stored?.status !== 'PENDING') {
        if (stored) yield ending(stored, conversation);
        return;
      }
      const step = await nextOrTick(pending, deps.pollMs);
      if (step === 'tick' || step.done || step.value.kind === 'ended') {
        stored = await deps.turns.get(turnId);
        if (step !== 'tick' && !step.done) pending = signals.next();
        continue;
      }
      pending = signals.next();
      const event = step.value as unknown as StreamPayload;
      if (event.kind === 'started') continue;
      yield event;
      if (event.kind === 'completed') return;
    }
  } finally {
    await signals.return?.();
  }
}

/** Asks whichever replica runs the turn to stop it, and waits until the store shows it ended (or `waitMs`). */
export async function cancelElsewhere(
  turnId: string,
  deps: { signals: ClusterSignals; turns: TurnRepo; pollMs: number; waitMs: number },
): Promise<void> {
  const subscription = deps.signals.pubsub.subscribe('turn', turnId);
  const signals = subscription[Symbol.asyncIterator]();
  const deadline = Date.now() + deps.waitMs;
  try {
    let pending = signals.next();
    deps.signals.pubsub.publish('cancel', { turnId });
    while (Date.now() < deadline) {
      const stored = await deps.turns.get(turnId);
      if (stored?.status !== 'PENDING') return;
      const step = await nextOrTick(pending, deps.pollMs);
      if (step !== 'tick' && !step.done) pending = signals.next();
    }
  } finally {
    await signals.return?.();
  }
}
