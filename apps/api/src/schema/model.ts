// Loaded models: what `options.model` and `options.precision` can pick from.
import type { ModelCard } from '@blip/engine';
import type { LoadedModel } from '../models/catalog.js';
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

type Card = ModelCard;

const QuestionTypeRef = builder.objectRef<Card['questionTypes'][number]>('QuestionType').implement({
  description: 'A kind of question the model was trained to answer, with examples.',
  fields: (t) => ({ name: t.exposeString('name'), examples: t.exposeStringList('examples') }),
});

const ModelCardRef = builder.objectRef<Card>('ModelCard').implement({
  description: 'What the model knows and does not, from its model folder.',
  fields: (t) => ({
    summary: t.exposeString('summary'),
    questionTypes: t.field({ type: [QuestionTypeRef], resolve: (c) => c.questionTypes }),
    outsideAnswer: t.exposeString('outsideAnswer', {
      nullable: true,
      description:
        'What the model says to questions outside what it knows, if it was trained to say one thing.',
    }),
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
    inferencePrecision: t.string({
      description:
        'What OpenVINO computes in, `f32` or `bf16` (BLIP_INFERENCE_PRECISION): by default FP16 and FP32 weights run at bf16 on CPUs with bf16 instructions and at f32 elsewhere, INT8 weights at f32.',
      resolve: (m) => m.info.inferencePrecision,
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
    confidenceThreshold: t.float({
      nullable: true,
      description:
        'Answers with confidence below this are better treated as guesses; null when the model folder gives none.',
      resolve: (m) => m.info.confidenceThreshold,
    }),
    card: t.field({
      type: ModelCardRef,
      nullable: true,
      description: 'null when the model folder has no card.',
      resolve: (m) => m.info.card,
    }),
  }),
});

builder.queryField('models', (t) =>
  t.field({
    type: [ModelRef],
    description: 'The models this server has loaded, the default first.',
    resolve: (_root, _args, ctx) => ctx.services.models.list(),
  }),
);
