// Runs turns: checks the request, writes the PENDING turn, drives the engine stream, and lets callers cancel.
// The whole-answer queries consume the same stream, so both forms store partial answers the same way.
import type { CallContext, Engine, GenerationRequest, Reservation, StreamEvent } from '@blip/engine';
import type { ClusterSignals } from '../cluster/signals.js';
import { cancelElsewhere, followTurn, relay } from '../cluster/turns.js';
import type { Config } from '../config.js';
import { ApiError, notFound, toClientError } from '../errors.js';
import type { ImageService } from '../images/service.js';
import type { Logger } from '../log.js';
import type { LoadedModel, ModelCatalog } from '../models/catalog.js';
import type { Metrics } from '../ops/metrics.js';
import type { ConversationRepo } from '../store/conversations.js';
import type { ImageRepo } from '../store/images.js';
import type { TurnRepo } from '../store/turns.js';
import type { ConversationRecord, ImageRecord, TurnRecord } from '../store/types.js';
import { compactSettings, engineOptions, type GenerationOptionsShape, mergeSettings } from './options.js';
import { ABORT, type AnswerPayload, type StreamPayload, TurnSession } from './session.js';

export type { AnswerPayload, StreamPayload } from './session.js';

/** A caption (question null) or an answer, as the GraphQL fields receive it. */
export interface TurnRequest {
  owner: string;
  imageId: string;
  question: string | null;
  options?: GenerationOptionsShape | null;
  conversationId?: string | null;
  /** The caller's request or subscription; aborting it cancels the turn. */
  signal: AbortSignal;
  /** Room the operation reserved for its generations (mutations: see ops/admission.ts); none for subscriptions. */
  reservation?: Reservation | undefined;
  /** The request's logger (its lines carry requestId); the turn's lines add turnId. */
  log?: Logger | undefined;
  /** The caller is told the turn's id before it runs (a subscription's StreamStarted), so a refusal after that is
   * stored as a FAILED turn with its code instead of being undone (it then survives a reload of the client). */
  announced?: boolean;
  /** The turn (same conversation) this one is a new version of: a regenerated answer or an edited question. */
  replaces?: string | null;
}

/** What the runner needs from the server. */
export interface RunnerDeps {
  config: Config;
  engine: Engine;
  models: ModelCatalog;
  images: ImageService;
  imageRepo: ImageRepo;
  conversations: ConversationRepo;
  turns: TurnRepo;
  metrics: Metrics;
  /** Events and stop requests between replicas (in-process without REDIS_URL). */
  signals: ClusterSignals;
}

interface Checked {
  conversation: ConversationRecord | undefined;
  image: ImageRecord;
  model: LoadedModel;
  settings: ReturnType<typeof mergeSettings>;
  request: GenerationRequest;
}

interface Running {
  session: TurnSession;
  /** Resolves once the turn's ending is stored and the engine has let go. */
  settled: Promise<void>;
}

/** Starts, streams, cancels and (at shutdown) interrupts turns. */
export class TurnRunner {
  private readonly running = new Map<string, Running>();
  private closing = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** Runs a turn to the end and returns the stored answer. */
  async run(req: TurnRequest): Promise<AnswerPayload> {
    for await (const event of this.stream(req)) {
      if (event.kind === 'completed') return event.answer;
    }
    throw new ApiError('CANCELLED', 'generation ended without an answer');
  }

  /** A turn as a stream of events; the iterator's return() aborts generation at once. */
  stream(req: TurnRequest): AsyncIterableIterator<StreamPayload> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(ABORT.caller);
    const detach = () => req.signal.removeEventListener('abort', onAbort);
    if (req.signal.aborted) onAbort();
    else req.signal.addEventListener('abort', onAbort, { once: true });
    const events = this.streamTurn(req, controller);
    // Every event also goes out on the turn's topic, so a follower on any replica sees it (cluster/turns.ts).
    return relay(this.wrap(events, controller, detach), this.deps.signals, this.deps.turns);
  }

  private wrap(
    events: AsyncGenerator<StreamPayload>,
    controller: AbortController,
    detach: () => void,
  ): AsyncIterableIterator<StreamPayload> {
    return {
      next: async () => {
        try {
          const step = await events.next();
          if (step.done) detach();
          return step;
        } catch (err) {
          detach();
          throw err;
        }
      },
      // graphql-yoga and graphql-ws call return() when the subscriber leaves. Abort first: a generator
      // busy awaiting the engine would otherwise see the return only after its next token.
      return: (value?: unknown) => {
        controller.abort(ABORT.caller);
        detach();
        return events.return(value as undefined);
      },
      throw: (err?: unknown) => {
        controller.abort(ABORT.caller);
        detach();
        return events.throw(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private async *streamTurn(req: TurnRequest, controller: AbortController): AsyncGenerator<StreamPayload> {
    const { session, events, first } = await this.start(req, controller);
    let settle = () => {};
    this.running.set(session.turn.id, {
      session,
      settled: new Promise<void>((resolve) => {
        settle = resolve;
      }),
    });
    try {
      yield { kind: 'started', conversation: session.conversation, turn: session.turn };
      let next = first;
      for (;;) {
        const step = await next;
        if (step.done) break;
        const event = step.value;
        if (event.type === 'done') {
          const answer = await session.complete(event.result);
          // A result cut short by cancellation is stored with its partial text, and reported as an error.
          if (event.result.finishReason === 'cancelled') break;
          yield { kind: 'completed', answer };
          return;
        }
        if (event.type === 'token') {
          session.addToken(event);
          yield { kind: 'token', index: event.index, tokenId: event.tokenId, delta: event.delta };
        } else {
          if (event.type === 'image') session.gotSlot();
          const shown = progress(event);
          if (shown) yield shown;
        }
        next = events.next();
      }
      // The engine ended the stream without a result: it was cancelled.
      throw new ApiError('CANCELLED', `turn ${session.turn.id} was cancelled`);
    } catch (err) {
      throw await session.fail(err);
    } finally {
      await session.stopped();
      // Stop the engine's generator if it is parked at a yield; a running step already saw the abort.
      await events.return(undefined).catch(() => {});
      this.running.delete(session.turn.id);
      settle();
    }
  }

  /** Checks everything (the engine checks question and options), writes the PENDING turn, then makes the engine
   * call, whose lines carry the request and turn ids. A refusal there (OVERLOADED) undoes the turn. */
  private async start(req: TurnRequest, controller: AbortController) {
    if (this.closing) throw new ApiError('SHUTTING_DOWN', 'the server is shutting down');
    const checked = await this.check(req);
    if (controller.signal.aborted)
      throw new ApiError('CANCELLED', 'the caller left before generation started');
    const { conversations, turns } = this.deps;
    const conversation =
      checked.conversation ?? (await conversations.create(req.owner, checked.image.id, {}, null));
    const turn = await turns.create({
      conversationId: conversation.id,
      kind: req.question === null ? 'CAPTION' : 'QUESTION',
      question: req.question,
      model: checked.model.name,
      precision: checked.model.precision,
      options: checked.settings,
      replaces: req.replaces ?? null,
    });
    const log = req.log?.child({ turnId: turn.id, conversationId: conversation.id });
    const isNew = !checked.conversation;
    const session = new TurnSession(this.deps, conversation, turn, checked.model, controller, {
      newConversation: isNew,
      keepRefused: req.announced === true,
      log,
    });
    log?.info({ kind: turn.kind, model: turn.model, queued: this.deps.engine.queueDepth() }, 'turn started');
    let events: AsyncGenerator<StreamEvent>;
    try {
      events = openStream(this.deps.engine, checked.request, {
        signal: controller.signal,
        reservation: req.reservation,
        logger: log,
      });
    } catch (err) {
      throw await session.fail(err);
    }
    // Pull now so the engine queues the call; its error, if any, is handled where `first` is awaited.
    const first = events.next();
    first.catch(() => {});
    return { session, events, first };
  }

  /** Checks of everything the request names; typed errors name the argument at fault. Runs nothing. */
  private async check(req: TurnRequest): Promise<Checked> {
    const { conversations, imageRepo, models, engine, images } = this.deps;
    let conversation: ConversationRecord | undefined;
    if (req.conversationId) {
      conversation = await conversations.get(req.owner, req.conversationId);
      if (!conversation) throw notFound('conversation', req.conversationId, 'conversationId');
      if (conversation.imageId !== req.imageId) {
        throw new ApiError(
          'BAD_USER_INPUT',
          `conversation is about image ${conversation.imageId}`,
          'imageId',
        );
      }
    }
    const image = await imageRepo.get(req.owner, req.imageId);
    if (!image) throw notFound('image', req.imageId, 'imageId');
    if (req.replaces) await this.checkReplaces(req.replaces, conversation);
    const settings = mergeSettings(conversation?.settings ?? {}, compactSettings(req.options));
    const model = models.select(settings);
    const request: GenerationRequest = {
      task: req.question === null ? 'caption' : 'answer',
      model: model.name,
      // The engine keeps prepared pixels and embeddings by this key; after a miss it reads the stored bytes.
      image: { key: image.sha256, load: () => images.read(image) },
      question: req.question ?? undefined,
      options: engineOptions(settings),
    };
    try {
      engine.check(request);
    } catch (err) {
      throw toClientError(err);
    }
    return { conversation, image, model, settings, request };
  }

  /** `replaces` names a turn of the conversation the new turn is added to. */
  private async checkReplaces(id: string, conversation: ConversationRecord | undefined): Promise<void> {
    if (!conversation)
      throw new ApiError(
        'BAD_USER_INPUT',
        'replaces needs the conversationId of the turn it replaces',
        'replaces',
      );
    const replaced = await this.deps.turns.get(id);
    if (replaced?.conversationId !== conversation.id) throw notFound('turn', id, 'replaces');
  }

  /** Cancels one of the owner's running turns and returns it once stored; a finished turn is returned as is. */
  async cancelTurn(owner: string, turnId: string): Promise<TurnRecord> {
    const turn = await this.deps.turns.get(turnId);
    if (!turn || !(await this.deps.conversations.get(owner, turn.conversationId)))
      throw notFound('turn', turnId, 'id');
    const running = this.running.get(turnId);
    if (running) {
      running.session.controller.abort(ABORT.caller);
      await running.settled;
    } else if (turn.status === 'PENDING') {
      // Another replica runs it: ask it (Redis) and wait for the ending, at most one lease.
      const { signals, turns, config } = this.deps;
      await cancelElsewhere(turnId, {
        signals,
        turns,
        pollMs: config.turnLeaseRenewMs,
        waitMs: config.turnLeaseMs,
      });
    }
    return (await this.deps.turns.get(turnId)) ?? turn;
  }

  /** A stop request from another replica: aborts the turn if it runs here; returns its tokens so far. */
  abortLocal(turnId: string): number | undefined {
    const running = this.running.get(turnId);
    if (!running) return undefined;
    running.session.controller.abort(ABORT.caller);
    return running.session.tokenCount;
  }

  /** The owner's turn's events from now on, wherever it runs (NOT_FOUND when it is not theirs). */
  async follow(owner: string, turnId: string): Promise<AsyncIterableIterator<StreamPayload>> {
    const turn = await this.deps.turns.get(turnId);
    const conversation = turn && (await this.deps.conversations.get(owner, turn.conversationId));
    if (!turn || !conversation) throw notFound('turn', turnId, 'id');
    const { signals, turns, config } = this.deps;
    return followTurn(turnId, conversation, { signals, turns, pollMs: config.turnLeaseRenewMs });
  }

  /** Stops every running turn of a conversation that is being deleted. */
  cancelConversation(conversationId: string): void {
    for (const r of this.running.values()) {
      if (r.session.conversation.id === conversationId) r.session.controller.abort(ABORT.deleted);
    }
  }

  /** Ids of the turns running here (their leases are renewed). */
  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /** Turns in flight right now. */
  inFlight(): number {
    return this.running.size;
  }

  /** Refuses new turns, interrupts running ones, and waits until each has stored its ending. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const all = [...this.running.values()];
    for (const r of all) r.session.controller.abort(ABORT.shutdown);
    await Promise.all(all.map((r) => r.settled));
  }
}

/** The engine's event stream for the request; its refusals become typed errors. */
function openStream(
  engine: Engine,
  request: GenerationRequest,
  context: CallContext,
): AsyncGenerator<StreamEvent> {
  try {
    return engine.stream(request, context);
  } catch (err) {
    throw toClientError(err);
  }
}

/** An engine progress event (queued, image, answering) as the stream sends it; `at` becomes a DateTime.
 * Position 0 (a slot was free, no wait) is not sent: StreamQueued means "waiting, this place in line". */
function progress(event: Exclude<StreamEvent, { type: 'token' | 'done' }>): StreamPayload | null {
  const at = new Date(event.at).toISOString();
  if (event.type === 'queued')
    return event.position > 0 ? { kind: 'queued', position: event.position, at } : null;
  if (event.type === 'image') return { kind: 'image', source: event.source, at };
  return { kind: 'answering', at };
}
