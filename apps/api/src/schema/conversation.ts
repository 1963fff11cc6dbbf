// Conversations: an image and its turns, owned by one caller, listed newest first with cursor pagination.

import type { Context } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { settingsFromInput } from '../generation/options.js';
import { decodeCursor, encodeCursor } from '../store/cursor.js';
import type { ConversationRecord, TurnRecord } from '../store/types.js';
import { builder } from './builder.js';
import { FinishReasonEnum, PrecisionEnum, TurnKindEnum, TurnStatusEnum } from './enums.js';
import { ImageRef } from './image.js';
import { AlternativeRef, GenerationOptionsInput, GenerationSettingsRef, TimingsRef } from './options.js';

const TurnErrorRef = builder.objectRef<{ code: string; message: string }>('TurnError').implement({
  description: 'Why a turn FAILED or was INTERRUPTED.',
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

export const TurnRef = builder.objectRef<TurnRecord>('Turn').implement({
  description: 'One caption or question about the conversation image, and its answer as far as it got.',
  fields: (t) => ({
    id: t.exposeID('id'),
    conversationId: t.exposeID('conversationId'),
    index: t.exposeInt('seq', { description: '0-based position in the conversation.' }),
    kind: t.expose('kind', { type: TurnKindEnum }),
    question: t.exposeString('question', { nullable: true, description: 'null for captions.' }),
    answer: t.exposeString('answer', {
      nullable: true,
      description:
        'The answer (best alternative); for CANCELLED turns what had been generated; null while PENDING.',
    }),
    tokenIds: t.exposeIntList('tokenIds'),
    alternatives: t.field({ type: [AlternativeRef], resolve: (turn) => turn.alternatives }),
    model: t.exposeString('model'),
    precision: t.expose('precision', { type: PrecisionEnum }),
    options: t.field({ type: GenerationSettingsRef, resolve: (turn) => turn.options }),
    timings: t.field({ type: TimingsRef, nullable: true, resolve: (turn) => turn.timings }),
    status: t.expose('status', { type: TurnStatusEnum }),
    finishReason: t.field({
      type: FinishReasonEnum,
      nullable: true,
      resolve: (turn) => turn.finishReason as 'eos' | 'length' | 'cancelled' | null,
    }),
    error: t.field({
      type: TurnErrorRef,
      nullable: true,
      resolve: (turn) =>
        turn.status === 'FAILED' || turn.status === 'INTERRUPTED'
          ? { code: turn.errorCode ?? turn.status, message: turn.errorMessage ?? '' }
          : null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ConversationRef = builder.objectRef<ConversationRecord>('Conversation').implement({
  description: 'An image and the turns asked about it. Visible only to its owner.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title', { nullable: true }),
    image: t.field({
      type: ImageRef,
      resolve: (c, _args, ctx) => {
        const image = ctx.services.imageRepo.get(c.owner, c.imageId);
        if (!image) throw notFound('image', c.imageId);
        return image;
      },
    }),
    settings: t.field({
      type: GenerationSettingsRef,
      description: 'Defaults for every turn; a call’s own options override them field by field.',
      resolve: (c) => c.settings,
    }),
    turns: t.field({ type: [TurnRef], resolve: (c, _args, ctx) => ctx.services.turns.list(c.id) }),
    turnCount: t.int({ resolve: (c, _args, ctx) => ctx.services.turns.count(c.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the last turn was asked.' }),
  }),
});

const PageInfoRef = builder
  .objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo')
  .implement({
    fields: (t) => ({
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.exposeString('endCursor', {
        nullable: true,
        description: 'Pass as `after` for the next page.',
      }),
    }),
  });

const EdgeRef = builder
  .objectRef<{ cursor: string; node: ConversationRecord }>('ConversationEdge')
  .implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: ConversationRef, resolve: (e) => e.node }),
    }),
  });

interface Page {
  edges: { cursor: string; node: ConversationRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  owner: string;
}

const ConnectionRef = builder.objectRef<Page>('ConversationConnection').implement({
  description: 'A page of conversations, most recently active first.',
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], resolve: (p) => p.edges }),
    nodes: t.field({ type: [ConversationRef], resolve: (p) => p.edges.map((e) => e.node) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p.pageInfo }),
    totalCount: t.int({ resolve: (p, _args, ctx) => ctx.services.conversations.count(p.owner) }),
  }),
});

/** The caller's conversation, or NOT_FOUND (also when it is someone else's). */
export function requireConversation(ctx: Context, id: string, field = 'id'): ConversationRecord {
  const conversation = ctx.services.conversations.get(ctx.owner, id);
  if (!conversation) throw notFound('conversation', id, field);
  return conversation;
}

function listPage(ctx: Context, first: number | null | undefined, after: string | null | undefined): Page {
  const { defaultPageSize, maxPageSize } = ctx.services.config;
  const limit = first ?? defaultPageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new ApiError('BAD_USER_INPUT', `first must be between 1 and ${maxPageSize}, got ${limit}`, 'first');
  }
  const cursor = after ? decodeCursor(after) : undefined;
  const rows = ctx.services.conversations.list(ctx.owner, limit + 1, cursor);
  const edges = rows.slice(0, limit).map((node) => ({ cursor: encodeCursor(node), node }));
  const endCursor = edges.at(-1)?.cursor ?? null;
  return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor }, owner: ctx.owner };
}

builder.queryFields((t) => ({
  conversation: t.field({
    type: ConversationRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => requireConversation(ctx, id),
  }),
  conversations: t.field({
    type: ConnectionRef,
    description: 'The caller’s conversations, most recently active first.',
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: (_root, { first, after }, ctx) => listPage(ctx, first, after),
  }),
}));

builder.mutationFields((t) => ({
  createConversation: t.field({
    type: ConversationRef,
    description: 'Start a conversation about an uploaded image (caption and answer can also start one).',
    args: {
      imageId: t.arg.id({ required: true }),
      settings: t.arg({ type: GenerationOptionsInput }),
      title: t.arg.string(),
    },
    resolve: (_root, args, ctx) => {
      if (!ctx.services.imageRepo.get(ctx.owner, args.imageId))
        throw notFound('image', args.imageId, 'imageId');
      const settings = settingsFromInput(args.settings, ctx.services.models);
      return ctx.services.conversations.create(ctx.owner, args.imageId, settings, args.title ?? null);
    },
  }),
  updateConversationSettings: t.field({
    type: ConversationRef,
    description: 'Replace the conversation’s default generation settings.',
    args: {
      id: t.arg.id({ required: true }),
      settings: t.arg({ type: GenerationOptionsInput, required: true }),
    },
    resolve: (_root, { id, settings }, ctx) => {
      requireConversation(ctx, id);
      ctx.services.conversations.updateSettings(
        ctx.owner,
        id,
        settingsFromInput(settings, ctx.services.models),
      );
      return requireConversation(ctx, id);
    },
  }),
  deleteConversation: t.id({
    description: 'Delete a conversation and its turns (running turns are cancelled); returns its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      requireConversation(ctx, id);
      ctx.services.runner.cancelConversation(id);
      ctx.services.conversations.delete(ctx.owner, id);
      return id;
    },
  }),
  cancelTurn: t.field({
    type: TurnRef,
    description:
      'Stop a running turn within one decoder step; it is kept as CANCELLED with its partial answer.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.runner.cancelTurn(ctx.owner, id),
  }),
}));
