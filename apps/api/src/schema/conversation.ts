// Conversations: an image and its turns, owned by one caller, listed most recently active first with
// cursor pagination and an optional search over titles, questions and answers.
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import type { ConversationRecord } from '../store/types.js';
import { builder } from './builder.js';
import { ImageRef } from './image.js';
import { GenerationSettingsRef } from './options.js';
import { checkText, type Page, PageInfoRef, page } from './paging.js';
import { TurnRef } from './turn.js';

export const ConversationRef = builder.objectRef<ConversationRecord>('Conversation').implement({
  description: 'An image and the turns asked about it. Visible only to its owner.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title', {
      nullable: true,
      description: 'Set by createConversation or renameConversation.',
    }),
    image: t.field({
      type: ImageRef,
      resolve: async (c, _args, ctx) => {
        const image = await ctx.services.imageRepo.get(c.owner, c.imageId);
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
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description: 'When the last turn was asked or the conversation was renamed or its settings changed.',
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

interface ConversationPage extends Page<ConversationRecord> {
  owner: string;
  search: string | undefined;
}

const ConnectionRef = builder.objectRef<ConversationPage>('ConversationConnection').implement({
  description: 'A page of conversations, most recently active first (those matching `search` when given).',
  fields: (t) => ({
    edges: t.field({ type: [EdgeRef], resolve: (p) => p.edges }),
    nodes: t.field({ type: [ConversationRef], resolve: (p) => p.edges.map((e) => e.node) }),
    pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p.pageInfo }),
    totalCount: t.int({
      description: 'All of the caller’s conversations (that match `search`), on every page.',
      resolve: (p, _args, ctx) => ctx.services.conversations.count(p.owner, p.search),
    }),
  }),
});

/** The caller's conversation, or NOT_FOUND (also when it is someone else's). */
export async function requireConversation(
  ctx: Context,
  id: string,
  field = 'id',
): Promise<ConversationRecord> {
  const conversation = await ctx.services.conversations.get(ctx.owner, id);
  if (!conversation) throw notFound('conversation', id, field);
  return conversation;
}

async function listPage(
  ctx: Context,
  args: { first?: number | null; after?: string | null; search?: string | null },
): Promise<ConversationPage> {
  checkText(args.search, 'search', ctx.services.config.maxSearchChars);
  const search = args.search?.trim() || undefined;
  const { conversations } = ctx.services;
  const rows = await page<ConversationRecord>(
    ctx,
    args,
    (c) => c.updatedAt,
    (limit, cursor) => conversations.list(ctx.owner, limit, cursor, search),
  );
  return { ...rows, owner: ctx.owner, search };
}

builder.queryFields((t) => ({
  conversation: t.field({
    type: ConversationRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => requireConversation(ctx, id),
  }),
  conversations: t.field({
    type: ConnectionRef,
    description:
      'The caller’s conversations, most recently active first. `first` is the page size (default and largest in `limits`).',
    args: {
      first: t.arg.int(),
      after: t.arg.string({ description: 'endCursor of the previous page.' }),
      search: t.arg.string({
        description:
          'Only conversations whose title, questions or answers contain this text (case-insensitive for A-Z; at most limits.maxSearchChars).',
      }),
    },
    resolve: (_root, args, ctx) => listPage(ctx, args),
  }),
}));
