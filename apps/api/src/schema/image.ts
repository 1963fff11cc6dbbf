// Images: uploaded once by multipart request, stored by content, referred to by an unguessable id, listed
// newest first. deleteImage is refused while a conversation uses the image (IMAGE_IN_USE): deleting the
// conversations first is explicit, and deleting a conversation removes an image nothing else uses.
import { notFound } from '../errors.js';
import type { ImageRecord } from '../store/types.js';
import { builder } from './builder.js';
import { type Page, PageInfoRef, page } from './paging.js';

export const ImageRef = builder.objectRef<ImageRecord>('Image').implement({
  description: 'An uploaded image, checked and decodable. Only its owner can see or use it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    format: t.exposeString('format', {
      description: 'jpeg, png, webp, gif, tiff or avif (sniffed from the bytes).',
    }),
    mimeType: t.exposeString('mime'),
    byteSize: t.exposeInt('byteSize'),
    sha256: t.exposeString('sha256', {
      description: 'Hex digest of the file; the same bytes are stored once.',
    }),
    filename: t.exposeString('filename', { nullable: true, description: 'At most limits.maxFilenameChars.' }),
    url: t.string({
      description: 'Path of the image bytes on this server (same owner key, by cookie or header).',
      resolve: (image) => `/images/${image.id}`,
    }),
    conversationCount: t.int({
      description: 'Conversations about this image; deleteImage is refused while it is above 0.',
      resolve: (image, _args, ctx) => ctx.services.conversations.countUsing(image.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ImageEdgeRef = builder.objectRef<{ cursor: string; node: ImageRecord }>('ImageEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: ImageRef, resolve: (e) => e.node }),
  }),
});

const ImageConnectionRef = builder
  .objectRef<Page<ImageRecord> & { owner: string }>('ImageConnection')
  .implement({
    description: 'A page of the caller’s images, newest first.',
    fields: (t) => ({
      edges: t.field({ type: [ImageEdgeRef], resolve: (p) => p.edges }),
      nodes: t.field({ type: [ImageRef], resolve: (p) => p.edges.map((e) => e.node) }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (p) => p.pageInfo }),
      totalCount: t.int({ resolve: (p, _args, ctx) => ctx.services.imageRepo.count(p.owner) }),
    }),
  });

builder.queryFields((t) => ({
  image: t.field({
    type: ImageRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const image = await ctx.services.imageRepo.get(ctx.owner, id);
      if (!image) throw notFound('image', id, 'id');
      return image;
    },
  }),
  images: t.field({
    type: ImageConnectionRef,
    description:
      'The caller’s images, newest first. `first` is the page size (default and largest in `limits`).',
    args: { first: t.arg.int(), after: t.arg.string({ description: 'endCursor of the previous page.' }) },
    resolve: async (_root, args, ctx) => ({
      ...(await page<ImageRecord>(
        ctx,
        args,
        (image) => image.createdAt,
        (limit, cursor) => ctx.services.imageRepo.list(ctx.owner, limit, cursor),
      )),
      owner: ctx.owner,
    }),
  }),
}));

builder.mutationFields((t) => ({
  uploadImage: t.field({
    type: ImageRef,
    description:
      'Upload an image (multipart request; send header `x-graphql-yoga-csrf: 1`). The type is sniffed from the bytes and the image is decoded once to check it; the same bytes uploaded again give the same image.',
    args: { file: t.arg({ type: 'File', required: true }) },
    resolve: (_root, { file }, ctx) => ctx.services.images.upload(ctx.owner, file, ctx.log),
  }),
  deleteImage: t.id({
    description:
      'Delete one of the caller’s images; refused with IMAGE_IN_USE while a conversation uses it (delete those first: deleting a conversation also deletes an image nothing else uses). Returns its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      await ctx.services.images.delete(ctx.owner, id);
      return id;
    },
  }),
}));
