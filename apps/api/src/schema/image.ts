// Images: uploaded once by multipart request, stored by content, referred to by an unguessable id.
import { notFound } from '../errors.js';
import type { ImageRecord } from '../store/types.js';
import { builder } from './builder.js';

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
    filename: t.exposeString('filename', { nullable: true }),
    url: t.string({
      description: 'Path of the image bytes on this server (same owner key, by cookie or header).',
      resolve: (image) => `/images/${image.id}`,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const LimitsRef = builder
  .objectRef<{ maxUploadBytes: number; maxPixels: number; maxDimension: number; maxQuestionChars: number }>(
    'Limits',
  )
  .implement({
    description: 'Limits this server enforces, so clients can check before they send.',
    fields: (t) => ({
      maxUploadBytes: t.exposeInt('maxUploadBytes'),
      maxPixels: t.exposeInt('maxPixels'),
      maxDimension: t.exposeInt('maxDimension'),
      maxQuestionChars: t.exposeInt('maxQuestionChars'),
      acceptedMimeTypes: t.stringList({
        resolve: () => ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif'],
      }),
    }),
  });

builder.queryFields((t) => ({
  image: t.field({
    type: ImageRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const image = ctx.services.imageRepo.get(ctx.owner, id);
      if (!image) throw notFound('image', id, 'id');
      return image;
    },
  }),
  limits: t.field({
    type: LimitsRef,
    resolve: (_root, _args, ctx) => ctx.services.config,
  }),
}));

builder.mutationField('uploadImage', (t) =>
  t.field({
    type: ImageRef,
    description:
      'Upload an image (multipart request; send header `x-graphql-yoga-csrf: 1`). The type is sniffed from the bytes and the image is decoded once to check it; the same bytes uploaded again give the same image.',
    args: { file: t.arg({ type: 'File', required: true }) },
    resolve: (_root, { file }, ctx) => ctx.services.images.upload(ctx.owner, file),
  }),
);
