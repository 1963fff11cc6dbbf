// `limits`: every bound this server enforces, so clients check before they send and forms show the same ranges.
import type { Context } from '../context.js';
import { type OptionLimit, optionLimits } from '../generation/options.js';
import { builder } from './builder.js';
import { StrategyEnum } from './enums.js';

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
    minExclusive: t.exposeBoolean('minExclusive', { description: 'True when min itself is not accepted.' }),
    max: t.exposeFloat('max', {
      nullable: true,
      description: 'Highest accepted value; null = no upper bound.',
    }),
    maxExclusive: t.exposeBoolean('maxExclusive', { description: 'True when max itself is not accepted.' }),
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

const LimitsRef = builder.objectRef<LimitsSource>('Limits').implement({
  description: 'Limits this server enforces, so clients can check before they send.',
  fields: (t) => ({
    maxUploadBytes: t.int({ resolve: (s) => s.config.maxUploadBytes }),
    maxPixels: t.int({ resolve: (s) => s.config.maxPixels }),
    maxDimension: t.int({ resolve: (s) => s.config.maxDimension }),
    maxQuestionChars: t.int({
      description: 'Longest question in characters (Unicode code points).',
      resolve: (s) => s.config.maxQuestionChars,
    }),
    maxQuestionTokens: t.int({
      description:
        'Most tokens a question may encode to ([CLS] and [SEP] included); longer is INVALID_QUESTION.',
      resolve: (s) => s.config.maxQuestionTokens,
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
      resolve: (s) => s.config.maxGenerationsPerCaller,
    }),
    acceptedMimeTypes: t.stringList({
      resolve: () => ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/avif'],
    }),
    options: t.field({
      type: [OptionLimitRef],
      description: 'The range of every generation option.',
      resolve: () => optionLimits(),
    }),
  }),
});

builder.queryField('limits', (t) =>
  t.field({ type: LimitsRef, resolve: (_root, _args, ctx) => ctx.services }),
);
