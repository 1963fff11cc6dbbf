// Caption and answer for callers who want the whole result in one response. They are Mutations: each call
// records a turn (and maybe a conversation), so it must never be sent by GET, cached or retried by a client cache.
import type { Context } from '../context.js';
import type { AnswerPayload } from '../generation/runner.js';
import { builder } from './builder.js';
import { ConversationRef } from './conversation.js';
import { FinishReasonEnum, PrecisionEnum } from './enums.js';
import { AlternativeRef, GenerationOptionsInput, TimingsRef } from './options.js';
import { TurnRef } from './turn.js';

export const AnswerRef = builder.objectRef<AnswerPayload>('Answer').implement({
  description: 'A finished caption or answer, stored as a COMPLETED turn of its conversation.',
  fields: (t) => ({
    text: t.string({ resolve: (a) => a.turn.answer ?? '' }),
    tokenIds: t.intList({ resolve: (a) => a.turn.tokenIds }),
    alternatives: t.field({
      type: [AlternativeRef],
      description: 'Best first: one for GREEDY and SAMPLE, numReturnSequences for BEAM.',
      resolve: (a) => a.turn.alternatives,
    }),
    timings: t.field({
      type: TimingsRef,
      resolve: (a) => {
        if (!a.turn.timings) throw new Error(`turn ${a.turn.id} has no timings`);
        return a.turn.timings;
      },
    }),
    finishReason: t.field({
      type: FinishReasonEnum,
      resolve: (a) => (a.turn.finishReason ?? 'eos') as 'eos' | 'length' | 'cancelled',
    }),
    confidence: t.float({
      nullable: true,
      description:
        'How sure the model is, 0..1 (from the probabilities of the chosen tokens); compare with the model’s confidenceThreshold. null when the engine gave none.',
      resolve: (a) => a.turn.confidence,
    }),
    imageCacheHit: t.exposeBoolean('imageCacheHit', {
      description: 'True when the image embedding was reused and the vision encoder did not run.',
    }),
    model: t.string({ resolve: (a) => a.turn.model }),
    precision: t.field({ type: PrecisionEnum, resolve: (a) => a.turn.precision }),
    turn: t.field({ type: TurnRef, resolve: (a) => a.turn }),
    conversation: t.field({ type: ConversationRef, resolve: (a) => a.conversation }),
  }),
});

/** Who calls, when they leave, the room the operation reserved (ops/admission.ts), and its logger. */
export const callOf = (ctx: Context) => ({
  owner: ctx.owner,
  signal: ctx.signal,
  reservation: ctx.reservation,
  log: ctx.log,
});

export const REPLACES_DOC =
  'The turn (of conversationId) this one is a new version of: a regenerated answer or an edited question. Stored as Turn.replaces; the replaced turn is kept.';

const conversationIdDoc =
  'Add the turn to this conversation (its image must be imageId); without it a new conversation is made.';

builder.mutationFields((t) => ({
  caption: t.field({
    type: AnswerRef,
    description:
      'Caption the image and wait for the whole result (records a turn). Refused with TOO_MANY_GENERATIONS, before anything runs, when one operation asks for more generations than limits.maxGenerationsPerOperation.',
    args: {
      imageId: t.arg.id({ required: true }),
      options: t.arg({ type: GenerationOptionsInput }),
      conversationId: t.arg.id({ description: conversationIdDoc }),
      replaces: t.arg.id({ description: REPLACES_DOC }),
    },
    resolve: (_root, args, ctx) => ctx.services.runner.run({ ...args, ...callOf(ctx), question: null }),
  }),
  answer: t.field({
    type: AnswerRef,
    description: 'Answer a question about the image and wait for the whole result (records a turn).',
    args: {
      imageId: t.arg.id({ required: true }),
      question: t.arg.string({ required: true }),
      options: t.arg({ type: GenerationOptionsInput }),
      conversationId: t.arg.id({ description: conversationIdDoc }),
      replaces: t.arg.id({ description: REPLACES_DOC }),
    },
    resolve: (_root, args, ctx) => ctx.services.runner.run({ ...args, ...callOf(ctx) }),
  }),
}));
