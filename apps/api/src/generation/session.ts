// One running turn: what has been generated so far, and the single place where its ending is written.
import type { GenerationResult, TokenEvent } from '@blip/engine';
import { ApiError, isBlipError, toClientError } from '../errors.js';
import type { LoadedModel } from '../models/catalog.js';
import type { Metrics } from '../ops/metrics.js';
import type { ConversationRepo } from '../store/conversations.js';
import type { TurnRepo } from '../store/turns.js';
import type { ConversationRecord, TurnRecord, TurnStatus } from '../store/types.js';

/** Abort reasons, so the ending can say why generation stopped. */
export const ABORT = { caller: 'caller', shutdown: 'shutdown', deleted: 'deleted' } as const;

// Errors the engine raises before generating anything: the request was refused, so no turn is kept.
const REFUSALS = new Set([
  'OVERLOADED',
  'TOO_MANY_GENERATIONS',
  'INVALID_OPTIONS',
  'INVALID_QUESTION',
  'UNSUPPORTED_TASK',
]);

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

  constructor(
    private readonly deps: SessionDeps,
    readonly conversation: ConversationRecord,
    readonly turn: TurnRecord,
    readonly model: LoadedModel,
    readonly controller: AbortController,
    /** True when this call made the conversation (it is removed again if the engine refuses the turn). */
    private readonly newConversation: boolean,
  ) {}

  /** Keeps a streamed token, so a cancelled turn stores what was generated. */
  addToken(event: TokenEvent): void {
    this.text += event.delta;
    this.tokenIds.push(event.tokenId);
  }

  /** Writes the engine's result; a result cut short by cancellation is stored as CANCELLED. */
  async complete(result: GenerationResult): Promise<AnswerPayload> {
    const status: TurnStatus = result.finishReason === 'cancelled' ? this.abortStatus() : 'COMPLETED';
    await this.end(status, {
      answer: result.text,
      tokenIds: result.tokenIds,
      alternatives: result.alternatives,
      timings: result.timings,
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
      finishReason: 'cancelled',
    });
  }

  /** Records a failure and returns the error to give the caller (engine refusals undo the turn). */
  async fail(err: unknown): Promise<unknown> {
    if (this.ended) return err;
    if (isBlipError(err) && REFUSALS.has(err.code) && this.tokenIds.length === 0) {
      this.ended = true;
      await this.deps.turns.delete(this.turn.id);
      if (this.newConversation)
        await this.deps.conversations.delete(this.conversation.owner, this.conversation.id);
      if (err.code === 'OVERLOADED') this.deps.metrics.overloaded.inc();
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
  }
}
