// Changes to conversations: create, rename, settings, delete (its image goes too when nothing else uses it),
// and cancelling a running turn.
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { settingsFromInput } from '../generation/options.js';
import { builder } from './builder.js';
import { ConversationRef, requireConversation } from './conversation.js';
import { GenerationOptionsInput } from './options.js';
import { checkText } from './paging.js';
import { TurnRef } from './turn.js';

/** A title as stored: trimmed, at most limits.maxTitleChars, empty means none. */
function titleOf(ctx: Context, title: string | null | undefined): string | null {
  checkText(title, 'title', ctx.services.config.maxTitleChars);
  return title?.trim() || null;
}

/** Deletes the conversation (cancelling its running turns) and then its image if nothing else uses it. */
async function deleteConversation(ctx: Context, id: string): Promise<string> {
  const conversation = await requireConversation(ctx, id);
  const { runner, conversations, imageRepo, images } = ctx.services;
  runner.cancelConversation(id);
  await conversations.delete(ctx.owner, id);
  const image = await imageRepo.get(ctx.owner, conversation.imageId);
  if (image) await images.releaseIfUnused(image);
  return id;
}

builder.mutationFields((t) => ({
  createConversation: t.field({
    type: ConversationRef,
    description: 'Start a conversation about an uploaded image (caption and answer can also start one).',
    args: {
      imageId: t.arg.id({ required: true }),
      settings: t.arg({ type: GenerationOptionsInput }),
      title: t.arg.string({ description: 'At most limits.maxTitleChars characters.' }),
    },
    resolve: async (_root, args, ctx) => {
      const title = titleOf(ctx, args.title);
      if (!(await ctx.services.imageRepo.get(ctx.owner, args.imageId)))
        throw notFound('image', args.imageId, 'imageId');
      const settings = settingsFromInput(args.settings, ctx.services.engine, ctx.services.models);
      return ctx.services.conversations.create(ctx.owner, args.imageId, settings, title);
    },
  }),
  renameConversation: t.field({
    type: ConversationRef,
    description: 'Set the conversation’s title (null or blank clears it).',
    args: {
      id: t.arg.id({ required: true }),
      title: t.arg.string({ description: 'At most limits.maxTitleChars characters.' }),
    },
    resolve: async (_root, { id, title }, ctx) => {
      const stored = titleOf(ctx, title);
      await requireConversation(ctx, id);
      await ctx.services.conversations.rename(ctx.owner, id, stored);
      return requireConversation(ctx, id);
    },
  }),
  updateConversationSettings: t.field({
    type: ConversationRef,
    description: 'Replace the conversation’s default generation settings.',
    args: {
      id: t.arg.id({ required: true }),
      settings: t.arg({ type: GenerationOptionsInput, required: true }),
    },
    resolve: async (_root, { id, settings }, ctx) => {
      await requireConversation(ctx, id);
      await ctx.services.conversations.updateSettings(
        ctx.owner,
        id,
        settingsFromInput(settings, ctx.services.engine, ctx.services.models),
      );
      return requireConversation(ctx, id);
    },
  }),
  deleteConversation: t.id({
    description:
      'Delete a conversation and its turns (running turns are cancelled), and its image when no other conversation uses it; returns its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => deleteConversation(ctx, id),
  }),
  cancelTurn: t.field({
    type: TurnRef,
    description:
      'Stop a running turn within one decoder step; it is kept as CANCELLED with its partial answer.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.runner.cancelTurn(ctx.owner, id),
  }),
}));
