// One running turn: what has been generated so far, and the single place where its ending is written.
import type { GenerationResult, TokenEvent } from '@blip/engine';
import { ApiError, isBlipError, toClientError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LoadedModel } from '../models/catalog.js';
import type { Metrics } from '../ops/metrics.js';
import type { ConversationRepo } from '../store/conversations.js';
import type { TurnRepo } from '../store/turns.js';
import type { ConversationRecord, StoredTimings, TurnRecord, TurnStatus } from '../store/types.js';

/** Abort reasons, so the ending can say why generation stopped. */
export const ABORT = { caller: 'caller', shutdown: 'shutdown', deleted: 'deleted' } as const;

// Errors the engine raises before generating anything: the request was refused. A turn the caller has not been
// told about is undone; one it has (a subscription's StreamStarted) is stored FAILED with the code.
const REFUSALS = new Set([
  'OVERLOADED',
  'TOO_MANY_GENERATIONS',
  'INVALID_OPTIONS',
  'INVALID_QUESTION',
  'UNSUPPORTED_TASK',
]);

/** Events of a streamed turn (here, not in runner.ts: cluster/turns.ts relays them, and the runner imports it). */
export type StreamPayload =
  | { kind: 'started'; conversation: ConversationRecord; turn: TurnRecord }
  | { kind: 'queued'; position: number; at: string }
  | { kind: 'image'; source: 'cache' | 'encoder'; at: string }
  | { kind: 'answering'; at: string }
  | { kind: 'token'; index: number; tokenId: number; delta: string }
  | { kind: 'completed'; answer: AnswerPayload };

/** The finished turn as the API returns it. */
export interface AnswerPayload {
  conversation: ConversationRecord;
  turn: TurnRecord;
  imageCacheHit: boolean;
}

/** Stores for the session. */
export interface SessionDeps {
  turns: TurnRepo;
  conversations: ConversationRepo;
  metrics: Metrics;
}

/** Bookkeeping of one turn from PENDING to its one ending. */
export class TurnSession {
  private text = '';
  private readonly tokenIds: number[] = [];
  private ended = false;
  // The API's own clock, for a turn whose caller left before the engine's result (see stoppedTimings).
  private readonly startedAt = performance.now();
  private slotAt: number | null = null;
  private firstTokenAt: number | null = null;
  private lastTokenAt: number | null = null;

  constructor(
    private readonly deps: SessionDeps,
    readonly conversation: ConversationRecord,
    readonly turn: TurnRecord,
    readonly model: LoadedModel,
    readonly controller: AbortController,
    private readonly how: {
      /** True when this call made the conversation (it is removed again if the engine refuses an unannounced turn). */
      newConversation: boolean;
      /** The caller already has the turn's id: an engine refusal is stored FAILED, not undone. */
      keepRefused: boolean;
      /** The turn's logger (requestId, turnId); none in tests that do not read logs. */
      log?: Logger | undefined;
    },
  ) {}

  private get log(): Logger | undefined {
    return this.how.log;
  }

  /** Tokens generated so far. */
  get tokenCount(): number {
    return this.tokenIds.length;
  }

  /** Keeps a streamed token, so a cancelled turn stores what was generated. */
  addToken(event: TokenEvent): void {
    this.text += event.delta;
    this.tokenIds.push(event.tokenId);
    this.lastTokenAt = performance.now();
    this.firstTokenAt ??= this.lastTokenAt;
  }

  /** The engine started reading the image: the generation has its slot (the end of its wait in line). */
  gotSlot(): void {
    this.slotAt ??= performance.now();
  }

  /** Writes the engine's result; a result cut short by cancellation is stored as CANCELLED. */
  async complete(result: GenerationResult): Promise<AnswerPayload> {
    const status: TurnStatus = result.finishReason === 'cancelled' ? this.abortStatus() : 'COMPLETED';
    await this.end(status, {
      answer: result.text,
      tokenIds: result.tokenIds,
      alternatives: result.alternatives,
      // No token, no first-token time (the engine says 0): a stopped turn reads "stopped after N ms".
      timings: {
        ...result.timings,
        firstTokenMs: result.tokenIds.length > 0 ? result.timings.firstTokenMs : null,
      },
      confidence: status === 'COMPLETED' ? result.confidence : null,
      finishReason: result.finishReason,
    });
    if (status === 'COMPLETED') this.deps.metrics.observe(this.model.name, result);
    const turn = (await this.deps.turns.get(this.turn.id)) ?? this.turn;
    const conversation = await this.deps.conversations.get(this.conversation.owner, this.conversation.id);
    return { conversation: conversation ?? this.conversation, turn, imageCacheHit: result.imageCacheHit };
  }

  /** Stores the partial answer when generation stopped without a result (caller left, cancel, shutdown). */
  async stopped(): Promise<void> {
    if (this.ended) return;
    await this.end(this.abortStatus(), {
      answer: this.text,
      tokenIds: this.tokenIds,
      timings: this.stoppedTimings(),
      finishReason: 'cancelled',
    });
  }

  /**
   * Timings of a turn whose caller left (the engine's result never reached the API), from the API's own clock:
   * time in line, to the first token (null without one), between tokens and in all. The stage times
   * (preprocess, vision, text encoder) were not measured here and are 0.
   */
  private stoppedTimings(): StoredTimings {
    const now = performance.now();
    const since = (t: number | null) => (t === null ? null : Math.round(t - this.startedAt));
    const steps = this.tokenIds.length - 1;
    const between = this.firstTokenAt !== null && this.lastTokenAt !== null && steps > 0;
    return {
      queueMs: since(this.slotAt) ?? Math.round(now - this.startedAt),
      preprocessMs: 0,
      visionMs: 0,
      textEncoderMs: 0,
      firstTokenMs: since(this.firstTokenAt),
      perTokenMs: between ? ((this.lastTokenAt as number) - (this.firstTokenAt as number)) / steps : 0,
      totalMs: Math.round(now - this.startedAt),
    };
  }

  /** Records a failure and returns the error to give the caller (engine refusals undo the turn). */
  async fail(err: unknown): Promise<unknown> {
    if (this.ended) return err;
    if (isBlipError(err) && REFUSALS.has(err.code) && this.tokenIds.length === 0) {
      if (err.code === 'OVERLOADED') this.deps.metrics.overloaded.inc();
      this.log?.info({ code: err.code }, 'turn refused');
      if (this.how.keepRefused) {
        await this.end('FAILED', { answer: null, errorCode: err.code, errorMessage: err.message });
        return toClientError(err);
      }
      this.ended = true;
      await this.deps.turns.delete(this.turn.id);
      if (this.how.newConversation)
        await this.deps.conversations.delete(this.conversation.owner, this.conversation.id);
      return toClientError(err);
    }
    if ((isBlipError(err) && err.code === 'CANCELLED') || this.controller.signal.aborted) {
      await this.stopped();
      return new ApiError('CANCELLED', `turn ${this.turn.id} was cancelled`);
    }
    const code = isBlipError(err) ? err.code : 'INTERNAL_SERVER_ERROR';
    await this.end('FAILED', {
      answer: this.text,
      tokenIds: this.tokenIds,
      errorCode: code,
      errorMessage: err instanceof Error ? err.message : String(err),
    });
    try {
      return toClientError(err);
    } catch {
      return err; // not the client's to see: yoga masks it
    }
  }

  private abortStatus(): TurnStatus {
    return this.controller.signal.reason === ABORT.shutdown ? 'INTERRUPTED' : 'CANCELLED';
  }

  private async end(
    status: TurnStatus,
    outcome: Omit<Parameters<TurnRepo['finish']>[1], 'status'>,
  ): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.deps.turns.finish(this.turn.id, {
      status: status as Exclude<TurnStatus, 'PENDING'>,
      ...outcome,
    });
    this.deps.metrics.turns.inc({ kind: this.turn.kind, status });
    // Never the question or the answer: how it ended, how long, how many tokens.
    this.log?.info(
      {
        status,
        finishReason: outcome.finishReason ?? null,
        errorCode: outcome.errorCode ?? null,
        tokens: outcome.tokenIds?.length ?? 0,
        totalMs: Math.round(performance.now() - this.startedAt),
      },
      'turn ended',
    );
  }
}
