// Loaded models: what `options.model` and `options.precision` can pick from.
import type { LoadedModel } from '../models/registry.js';
import { builder } from './builder.js';
import { ModelFamilyEnum, PrecisionEnum } from './enums.js';

interface ModelPart {
  part: string;
  precision: 'FP32' | 'FP16' | 'INT8';
}

const ModelPartRef = builder.objectRef<ModelPart>('ModelPart').implement({
  description: 'One graph of a model (vision_model, text_encoder, text_decoder, …) and its weight precision.',
  fields: (t) => ({
    part: t.exposeString('part'),
    precision: t.expose('precision', { type: PrecisionEnum }),
  }),
});

export const ModelRef = builder.objectRef<LoadedModel>('Model').implement({
  description: 'A model loaded by this server.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Unique name; pass it as `options.model`.' }),
    baseName: t.exposeString('baseName', {
      description: 'The name without a precision suffix; FP16 and INT8 builds of one model share it.',
    }),
    family: t.field({ type: ModelFamilyEnum, resolve: (m) => m.info.family }),
    precision: t.expose('precision', {
      type: PrecisionEnum,
      description: 'INT8 when any part is quantized.',
    }),
    parts: t.field({
      type: [ModelPartRef],
      resolve: (m) =>
        Object.entries(m.info.precision).map(([part, p]) => ({
          part,
          precision: p.toUpperCase() as ModelPart['precision'],
        })),
    }),
    source: t.string({ resolve: (m) => m.info.source, description: 'Hub id, random-init config or recipe.' }),
    imageSize: t.int({ resolve: (m) => m.info.imageSize, description: 'Input side length in pixels.' }),
    captionPrompt: t.string({ nullable: true, resolve: (m) => m.info.captionPrompt }),
    isDefault: t.exposeBoolean('isDefault', { description: 'Used when options.model is not given.' }),
  }),
});

builder.queryField('models', (t) =>
  t.field({
    type: [ModelRef],
    description: 'The models this server has loaded, the default first.',
    resolve: (_root, _args, ctx) => ctx.services.models.list(),
  }),
);
