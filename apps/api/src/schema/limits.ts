// `limits`: every bound this server enforces, so clients check before they send and forms show the same ranges.
// The engine's bounds (options, question, image, admission) come from Engine.limits(): one rulebook, published.
import type { OptionSpec } from '@blip/engine';
import type { Context } from '../context.js';
import { builder } from './builder.js';
import { StrategyEnum } from './enums.js';

type Strategy = 'greedy' | 'beam' | 'sample';

/** One row of the engine's option table as `limits.options` publishes it. */
interface OptionLimit {
  name: string;
  type: 'INT' | 'FLOAT' | 'ENUM';
  min: number | null;
  max: number | null;
  values: string[] | null;
  strategies: Strategy[];
  atMost: string | null;
  default: number | null;
  description: string;
}

/** The engine's spec of an option in the shape GraphQL publishes (ranges inclusive, enum values as GraphQL spells them). */
export function optionLimit(spec: OptionSpec): OptionLimit {
  return {
    name: spec.name,
    type: spec.type.toUpperCase() as OptionLimit['type'],
    min: spec.min ?? null,
    max: spec.max ?? null,
    values: spec.values ? spec.values.map((v) => v.toUpperCase()) : null,
    strategies: spec.appliesTo === 'all' ? ['greedy', 'beam', 'sample'] : [spec.appliesTo],
    atMost: spec.atMost ?? null,
    default: typeof spec.default === 'number' ? spec.default : null,
    description: spec.defaultFrom ? `${spec.meaning} Default: ${spec.defaultFrom}.` : spec.meaning,
  };
}

export const OptionTypeEnum = builder.enumType('OptionType', {
  description: 'The value type of a generation option.',
  values: ['INT', 'FLOAT', 'ENUM'] as const,
});

const OptionLimitRef = builder.objectRef<OptionLimit>('OptionLimit').implement({
  description:
    'The accepted range of one GenerationOptions field. A value outside it is an INVALID_OPTIONS error naming the field.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The GenerationOptions field.' }),
    type: t.expose('type', { type: OptionTypeEnum }),
    min: t.exposeFloat('min', {
      nullable: true,
      description: 'Lowest accepted value; null = no lower bound.',
    }),
    minExclusive: t.boolean({
      description: 'True when min itself is not accepted (never, today: every engine range is inclusive).',
      resolve: () => false,
    }),
    max: t.exposeFloat('max', {
      nullable: true,
      description: 'Highest accepted value; null = no upper bound.',
    }),
    maxExclusive: t.boolean({
      description: 'True when max itself is not accepted (never, today: every engine range is inclusive).',
      resolve: () => false,
    }),
    atMost: t.exposeString('atMost', {
      nullable: true,
      description: 'Another option whose value also bounds this one (numReturnSequences ≤ numBeams).',
    }),
    default: t.exposeFloat('default', {
      nullable: true,
      description:
        'The value used when the option is not given; null when the model decides (see description).',
    }),
    values: t.exposeStringList('values', { nullable: true, description: 'The accepted values of an ENUM.' }),
    strategies: t.field({
      type: [StrategyEnum],
      description: 'The strategies the option applies to (setting it with another is an error).',
      resolve: (o) => o.strategies,
    }),
    description: t.exposeString('description'),
  }),
});

/** What `limits` resolves from: the settings. */
type LimitsSource = Context['services'];

export const LimitsRef = builder.objectRef<LimitsSource>('Limits').implement({
  description: 'Limits this server enforces, so clients can check before they send.',
  fields: (t) => ({
    maxUploadBytes: t.int({ resolve: (s) => s.engine.limits().image.maxInputBytes }),
    maxPixels: t.int({ resolve: (s) => s.engine.limits().image.maxPixels }),
    maxDimension: t.int({ resolve: (s) => s.engine.limits().image.maxDimension }),
    maxQuestionChars: t.int({
      description: 'Longest question in characters (Unicode code points).',
      resolve: (s) => s.engine.limits().question.maxQuestionChars,
    }),
    maxQuestionTokens: t.int({
      description:
        'Most tokens a question may encode to ([CLS] and [SEP] included); longer is INVALID_QUESTION.',
      resolve: (s) => s.engine.limits().question.maxQuestionTokens,
    }),
    maxTitleChars: t.int({ resolve: (s) => s.config.maxTitleChars }),
    maxSearchChars: t.int({ resolve: (s) => s.config.maxSearchChars }),
    maxFilenameChars: t.int({
      description: 'Longer upload file names are cut to this many characters.',
      resolve: (s) => s.config.maxFilenameChars,
    }),
    defaultPageSize: t.int({ resolve: (s) => s.config.defaultPageSize }),
    maxPageSize: t.int({ description: 'Largest `first` of a list.', resolve: (s) => s.config.maxPageSize }),
    maxGenerationsPerOperation: t.int({
      description:
        'Most captions/answers one operation may run at once; an operation asking for more is refused with TOO_MANY_GENERATIONS before anything runs.',
      resolve: (s) => s.engine.limits().admission.maxGenerationsPerCall,
    }),
    acceptedMimeTypes: t.stringList({
      resolve: (s) =>
        s.engine
          .limits()
          .image.acceptedFormats.split(',')
          .map((f) => `image/${f.trim().toLowerCase()}`),
    }),
    options: t.field({
      type: [OptionLimitRef],
      description: 'The range of every generation option: the engine’s option table.',
      resolve: (s) => s.engine.limits().options.map(optionLimit),
    }),
  }),
});

builder.queryField('limits', (t) =>
  t.field({ type: LimitsRef, resolve: (_root, _args, ctx) => ctx.services }),
);
