// Streaming captions and answers: a started event, one event per token, then the completed answer.
import type { StreamPayload } from '../generation/runner.js';
import { builder } from './builder.js';
import { ConversationRef, TurnRef } from './conversation.js';
import { AnswerRef } from './generation.js';
import { GenerationOptionsInput } from './options.js';

type Started = Extract<StreamPayload, { kind: 'started' }>;
type Token = Extract<StreamPayload, { kind: 'token' }>;
type Completed = Extract<StreamPayload, { kind: 'completed' }>;

const StartedRef = builder.objectRef<Started>('StreamStarted').implement({
  description: 'First event: the PENDING turn and its conversation (new or given).',
  fields: (t) => ({
    conversation: t.field({ type: ConversationRef, resolve: (e) => e.conversation }),
    turn: t.field({ type: TurnRef, resolve: (e) => e.turn }),
  }),
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
    'StreamStarted, then StreamToken per token, then StreamCompleted. Errors (OVERLOADED, INVALID_OPTIONS, NOT_FOUND, …) arrive as GraphQL errors with extensions.code. Unsubscribing stops generation and stores the turn as CANCELLED.',
  types: [StartedRef, TokenRef, CompletedRef],
  resolveType: (event) => {
    if (event.kind === 'started') return StartedRef;
    if (event.kind === 'token') return TokenRef;
    return CompletedRef;
  },
});

builder.subscriptionFields((t) => ({
  captionStream: t.field({
    type: StreamEventRef,
    description: 'Caption the image token by token.',
    args: {
      imageId: t.arg.id({ required: true }),
      options: t.arg({ type: GenerationOptionsInput }),
      conversationId: t.arg.id(),
    },
    subscribe: (_root, args, ctx) =>
      ctx.services.runner.stream({ ...args, owner: ctx.owner, question: null, signal: ctx.signal }),
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
    },
    subscribe: (_root, args, ctx) =>
      ctx.services.runner.stream({ ...args, owner: ctx.owner, signal: ctx.signal }),
    resolve: (event: StreamPayload) => event,
  }),
}));
