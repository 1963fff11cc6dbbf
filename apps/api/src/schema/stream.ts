// Streaming captions and answers: a started event, progress events (queued, image, answering), one event per
// token, then the completed answer. Progress events come from the engine as they happen; none is made up here.
import { type GraphQLResolveInfo, locatedError } from 'graphql';
import { pathToArray } from 'graphql/jsutils/Path.js';
import type { StreamPayload } from '../generation/runner.js';
import { builder } from './builder.js';
import { ConversationRef } from './conversation.js';
import { ImageSourceEnum } from './enums.js';
import { AnswerRef, callOf, REPLACES_DOC } from './generation.js';
import { GenerationOptionsInput } from './options.js';
import { TurnRef } from './turn.js';

type Started = Extract<StreamPayload, { kind: 'started' }>;
type Token = Extract<StreamPayload, { kind: 'token' }>;
type Completed = Extract<StreamPayload, { kind: 'completed' }>;
type Queued = Extract<StreamPayload, { kind: 'queued' }>;
type ImageRead = Extract<StreamPayload, { kind: 'image' }>;
type Answering = Extract<StreamPayload, { kind: 'answering' }>;

const StartedRef = builder.objectRef<Started>('StreamStarted').implement({
  description: 'First event: the PENDING turn and its conversation (new or given).',
  fields: (t) => ({
    conversation: t.field({ type: ConversationRef, resolve: (e) => e.conversation }),
    turn: t.field({ type: TurnRef, resolve: (e) => e.turn }),
  }),
});

const at = 'When it happened (server clock).';

const QueuedRef = builder.objectRef<Queued>('StreamQueued').implement({
  description:
    'The generation waits for a free slot. Sent when it starts waiting and again when its place changes.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: 'Place in line: 1 = next to start.' }),
    at: t.expose('at', { type: 'DateTime', description: at }),
  }),
});

const ImageRef = builder.objectRef<ImageRead>('StreamImage').implement({
  description: 'The image embedding is ready: read by the vision encoder, or reused from the cache.',
  fields: (t) => ({
    source: t.expose('source', { type: ImageSourceEnum }),
    at: t.expose('at', { type: 'DateTime', description: at }),
  }),
});

const AnsweringRef = builder.objectRef<Answering>('StreamAnswering').implement({
  description: 'The decoder started: tokens follow.',
  fields: (t) => ({ at: t.expose('at', { type: 'DateTime', description: at }) }),
});

const TokenRef = builder.objectRef<Token>('StreamToken').implement({
  description: 'One generated token. Concatenating every delta gives the final text.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: '0-based index among generated tokens.' }),
    tokenId: t.exposeInt('tokenId'),
    delta: t.exposeString('delta', { description: 'Text to append ("" while a word piece is held back).' }),
  }),
});

const CompletedRef = builder.objectRef<Completed>('StreamCompleted').implement({
  description: 'Last event: the COMPLETED turn with its alternatives and timings.',
  fields: (t) => ({
    answer: t.field({ type: AnswerRef, resolve: (e) => e.answer }),
    turn: t.field({ type: TurnRef, resolve: (e) => e.answer.turn }),
  }),
});

const StreamEventRef = builder.unionType('StreamEvent', {
  description:
    'StreamStarted; then progress before the first token: StreamQueued (maybe several), StreamImage, StreamAnswering; then StreamToken per token; then StreamCompleted. Clients should ignore event types they do not know. Errors (OVERLOADED, INVALID_OPTIONS, NOT_FOUND, …) arrive as GraphQL errors with extensions.code and a path. Unsubscribing stops generation and stores the turn as CANCELLED; a refusal after StreamStarted (OVERLOADED) stores it as FAILED with that code.',
  types: [StartedRef, QueuedRef, ImageRef, AnsweringRef, TokenRef, CompletedRef],
  resolveType: (event) => REFS[event.kind],
});

/** The stream with its errors located at the subscription field (a path, like any field error), not at 1:1. */
function withPath(
  events: AsyncIterableIterator<StreamPayload>,
  info: GraphQLResolveInfo,
): AsyncIterableIterator<StreamPayload> {
  const located = (err: unknown) => locatedError(err, info.fieldNodes, pathToArray(info.path));
  return {
    next: () => events.next().catch((err: unknown) => Promise.reject(located(err))),
    return: (value?: unknown) => events.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    throw: (err?: unknown) => events.throw?.(err) ?? Promise.reject(err),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

const REFS = {
  started: StartedRef,
  queued: QueuedRef,
  image: ImageRef,
  answering: AnsweringRef,
  token: TokenRef,
  completed: CompletedRef,
} as const;

builder.subscriptionFields((t) => ({
  captionStream: t.field({
    type: StreamEventRef,
    description: 'Caption the image token by token.',
    args: {
      imageId: t.arg.id({ required: true }),
      options: t.arg({ type: GenerationOptionsInput }),
      conversationId: t.arg.id(),
      replaces: t.arg.id({ description: REPLACES_DOC }),
    },
    subscribe: (_root, args, ctx, info) =>
      withPath(
        ctx.services.runner.stream({ ...args, ...callOf(ctx), question: null, announced: true }),
        info,
      ),
    resolve: (event: StreamPayload) => event,
  }),
  answerStream: t.field({
    type: StreamEventRef,
    description: 'Answer a question about the image token by token.',
    args: {
      imageId: t.arg.id({ required: true }),
      question: t.arg.string({ required: true }),
      options: t.arg({ type: GenerationOptionsInput }),
      conversationId: t.arg.id(),
      replaces: t.arg.id({ description: REPLACES_DOC }),
    },
    subscribe: (_root, args, ctx, info) =>
      withPath(ctx.services.runner.stream({ ...args, ...callOf(ctx), announced: true }), info),
    resolve: (event: StreamPayload) => event,
  }),
  turnStream: t.field({
    type: StreamEventRef,
    description:
      'Follow one of your turns while it runs, on this server or on another replica (with REDIS_URL): its events from now on, ending with StreamCompleted. A turn that already ended gives its StreamCompleted at once, or its error (CANCELLED; SHUTTING_DOWN when INTERRUPTED; the failure’s code). Unsubscribing does not stop the turn (cancelTurn does).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx, info) =>
      withPath(await ctx.services.runner.follow(ctx.owner, id), info),
    resolve: (event: StreamPayload) => event,
  }),
}));
