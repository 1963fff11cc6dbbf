// The one rulebook of generation options: name, type, range, default and meaning of each. The engine
// validates with it, its error messages quote it, and the API builds its GraphQL descriptions and the
// published `limits` from it, so the web form, the schema and the engine cannot disagree on a range.
import type { GenerationOptions } from '../types.js';

export type OptionName = keyof GenerationOptions;

/** One generation option. Ranges are inclusive; `atMost` names another option that bounds this one. */
export interface OptionSpec {
  name: OptionName;
  type: 'int' | 'float' | 'enum';
  /** Inclusive bounds (int and float). */
  min?: number;
  max?: number;
  /** Allowed values (enum). */
  values?: readonly string[];
  /** The value used when the option is not given; null when it comes from the model's manifest or is random. */
  default: number | string | null;
  /** Where the default comes from when `default` is null. */
  defaultFrom?: string;
  /** Which strategy the option belongs to; giving it with another strategy is an error, never silently ignored. */
  appliesTo: 'all' | 'beam' | 'sample';
  /** Another option whose value is also an upper bound of this one. */
  atMost?: OptionName;
  /** One line for people (GraphQL descriptions, form hints, docs). */
  meaning: string;
}

/**
 * The ranges, chosen where the API (maxNewTokens ≤ 512, temperature ≤ 100), the web form (temperature ≤ 5)
 * and the engine (maxNewTokens ≤ 256, temperature unbounded) used to disagree: each range here is the one.
 * maxNewTokens is further bounded per model by its decoder's position table (ModelInfo.maxNewTokens).
 */
export const GENERATION_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'strategy',
    type: 'enum',
    values: ['greedy', 'beam', 'sample'],
    default: null,
    defaultFrom:
      "the model (manifest generation.num_beams > 1 → 'beam', else 'greedy'); implied by beam or sampling options",
    appliesTo: 'all',
    meaning: 'How tokens are chosen: the most likely one, beam search, or seeded sampling.',
  },
  int('numBeams', 2, 16, null, 'beam', 'Beam width (beam search only).', {
    defaultFrom: 'the model (manifest generation.num_beams when > 1), else 3',
  }),
  int('numReturnSequences', 1, 16, 1, 'beam', 'Finished beams returned as alternatives, at most numBeams.', {
    atMost: 'numBeams',
  }),
  float(
    'lengthPenalty',
    -10,
    10,
    null,
    'beam',
    'Beam score = sum log-prob / length^lengthPenalty (> 0 favours longer).',
    {
      defaultFrom: 'the model (manifest generation.length_penalty)',
    },
  ),
  float(
    'temperature',
    0.05,
    5,
    1,
    'sample',
    'Sampling: logits are divided by this; lower is more deterministic.',
  ),
  int('topK', 0, 1000, 50, 'sample', 'Sampling: keep only the k most likely tokens (0 = off).'),
  float(
    'topP',
    0.01,
    1,
    1,
    'sample',
    'Sampling: keep the smallest set of tokens whose probability reaches p.',
  ),
  int(
    'seed',
    0,
    2 ** 32 - 1,
    null,
    'sample',
    'Sampling: seed of the engine PRNG, so a run can be repeated exactly.',
    {
      defaultFrom: 'random per call',
    },
  ),
  float(
    'repetitionPenalty',
    1,
    5,
    null,
    'all',
    'Penalty on tokens already present (1 = off), as Hugging Face applies it.',
    {
      defaultFrom: 'the model (manifest generation.repetition_penalty)',
    },
  ),
  int(
    'minNewTokens',
    0,
    256,
    null,
    'all',
    'Generated tokens before the end token may be chosen, at most maxNewTokens.',
    {
      atMost: 'maxNewTokens',
      defaultFrom: 'the model (manifest generation.min_length minus the prompt)',
    },
  ),
  int(
    'maxNewTokens',
    1,
    256,
    null,
    'all',
    'Generated tokens at most (the decoder start and caption prompt do not count).',
    {
      defaultFrom: 'the model (manifest generation.max_length minus the prompt)',
    },
  ),
];

/** The spec of one option by name. */
export function optionSpec(name: OptionName): OptionSpec {
  return GENERATION_OPTIONS.find((spec) => spec.name === name) as OptionSpec;
}

/** The rule of an option in words, as error messages and descriptions quote it: "an integer from 2 to 16". */
export function ruleText(spec: OptionSpec): string {
  if (spec.type === 'enum') return `one of ${(spec.values ?? []).map((v) => `'${v}'`).join(', ')}`;
  const kind = spec.type === 'int' ? 'an integer' : 'a number';
  const bound = spec.atMost ? ` and at most ${spec.atMost}` : '';
  return `${kind} from ${spec.min} to ${spec.max}${bound}`;
}

type Extra = Pick<OptionSpec, 'atMost' | 'defaultFrom'>;

function int(
  name: OptionName,
  min: number,
  max: number,
  dflt: number | null,
  appliesTo: OptionSpec['appliesTo'],
  meaning: string,
  extra: Extra = {},
): OptionSpec {
  return { name, type: 'int', min, max, default: dflt, appliesTo, meaning, ...extra };
}

function float(
  name: OptionName,
  min: number,
  max: number,
  dflt: number | null,
  appliesTo: OptionSpec['appliesTo'],
  meaning: string,
  extra: Extra = {},
): OptionSpec {
  return { name, type: 'float', min, max, default: dflt, appliesTo, meaning, ...extra };
}
