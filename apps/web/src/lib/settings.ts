// Generation settings in the form: what the user picked, and the GenerationOptions input sent with every turn.
import type { Settings } from './api.js';

/** The range of one numeric option, as the API publishes it. */
export interface OptionRange {
  min: number;
  max: number;
}

/** Ranges by option name. */
export type OptionRanges = Readonly<Record<string, OptionRange | undefined>>;

/** One out-of-range field: the form marks it and nothing is sent until it is fixed. */
export interface SettingProblem {
  name: string;
  range: OptionRange;
}

/** Until the API publishes its ranges (limits.options), the form's own. TODO(api): remove when it lands. */
export const INTERIM_RANGES: OptionRanges = {
  numBeams: { min: 2, max: 16 },
  numReturnSequences: { min: 1, max: 16 },
  maxNewTokens: { min: 1, max: 256 },
  minNewTokens: { min: 0, max: 256 },
  temperature: { min: 0.05, max: 5 },
  topK: { min: 0, max: 1000 },
  topP: { min: 0.01, max: 1 },
  repetitionPenalty: { min: 1, max: 5 },
  seed: { min: 0, max: 2 ** 31 - 1 },
};

/** The range that applies to `name` now: the published one, narrowed where another field bounds it. */
export function rangeFor(name: string, settings: Settings, ranges: OptionRanges): OptionRange | undefined {
  const range = ranges[name];
  if (name === 'numReturnSequences' && range && settings.numBeams)
    return { min: range.min, max: Math.min(range.max, settings.numBeams) };
  return range;
}

/** The fields that would be sent (see toOptions) with a value outside their range. */
export function settingProblems(settings: Settings, ranges: OptionRanges): SettingProblem[] {
  return Object.entries(toOptions(settings)).flatMap(([name, value]) => {
    const range = rangeFor(name, settings, ranges);
    if (typeof value !== 'number' || !range) return [];
    return value < range.min || value > range.max ? [{ name, range }] : [];
  });
}

/** The form's starting point: greedy, as the reference demo and Hugging Face default. */
export const DEFAULT_SETTINGS: Settings = { strategy: 'GREEDY' };

/** Only the fields that make sense for the strategy, without nulls: the `options` argument of a stream. */
export function toOptions(settings: Settings): Settings {
  const keep: (keyof Settings)[] = [
    'strategy',
    'maxNewTokens',
    'minNewTokens',
    'repetitionPenalty',
    'model',
    'precision',
  ];
  if (settings.strategy === 'BEAM') keep.push('numBeams', 'numReturnSequences', 'lengthPenalty');
  if (settings.strategy === 'SAMPLE') keep.push('temperature', 'topK', 'topP', 'seed');
  const out: Record<string, unknown> = {};
  for (const key of keep) {
    const value = settings[key];
    if (value !== null && value !== undefined && !(typeof value === 'number' && Number.isNaN(value)))
      out[key] = value;
  }
  return out as Settings;
}

/** The stored settings without GraphQL's nulls, ready to fill the form. */
export function fromStored(stored: Settings | null | undefined): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored ?? {})) {
    if (value !== null && value !== undefined && key !== '__typename') out[key] = value;
  }
  return { ...DEFAULT_SETTINGS, ...(out as Settings) };
}

/** True when two settings would send the same options. */
export function sameOptions(a: Settings, b: Settings): boolean {
  return JSON.stringify(sortKeys(toOptions(a))) === JSON.stringify(sortKeys(toOptions(b)));
}

function sortKeys(o: object): [string, unknown][] {
  return Object.entries(o).sort(([x], [y]) => x.localeCompare(y));
}
