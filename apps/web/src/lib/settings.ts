// Generation settings in the form: what the user picked, and the GenerationOptions input sent with every turn.
// Which options exist for which strategy and their ranges come only from the API (limits.options).
import type { Limits, Settings } from './api.js';

/** One option as the API publishes it. */
export type OptionLimit = Limits['options'][number];

/** The published options by name. */
export type OptionRanges = Readonly<Record<string, OptionLimit | undefined>>;

/** One out-of-range field: the form marks it and nothing is sent until it is fixed. */
export interface SettingProblem {
  name: string;
  range: OptionLimit;
}

/** Indexes the published list by name. */
export function rangesFrom(options: readonly OptionLimit[]): OptionRanges {
  return Object.fromEntries(options.map((o) => [o.name, o]));
}

/** The range that applies to `name` now: the published one, narrowed where the API says another field bounds
 * it (`atMost`: numReturnSequences ≤ numBeams, minNewTokens ≤ maxNewTokens) and that field is set. */
export function rangeFor(name: string, settings: Settings, ranges: OptionRanges): OptionLimit | undefined {
  const range = ranges[name];
  const bound = range?.atMost ? (settings as Record<string, unknown>)[range.atMost] : undefined;
  if (range && typeof bound === 'number')
    return { ...range, max: Math.min(range.max ?? Number.POSITIVE_INFINITY, bound), maxExclusive: false };
  return range;
}

/** True when `value` is inside the range (open ends and exclusive bounds as published). */
export function inRange(value: number, r: OptionLimit): boolean {
  if (r.type === 'INT' && !Number.isInteger(value)) return false;
  if (r.min !== null && (r.minExclusive ? value <= r.min : value < r.min)) return false;
  if (r.max !== null && (r.maxExclusive ? value >= r.max : value > r.max)) return false;
  return true;
}

/** "2–16", "> 0", "≤ 5": the range as people read it. */
export function describeRange(r: OptionLimit): string {
  const lo = r.min === null ? null : `${r.minExclusive ? '>' : '≥'} ${r.min}`;
  const hi = r.max === null ? null : `${r.maxExclusive ? '<' : '≤'} ${r.max}`;
  if (lo && hi && !r.minExclusive && !r.maxExclusive) return `${r.min}–${r.max}`;
  return [lo, hi].filter(Boolean).join(' and ') || 'any number';
}

/** The fields that would be sent (see toOptions) with a value outside their range. */
export function settingProblems(settings: Settings, ranges: OptionRanges): SettingProblem[] {
  return Object.entries(toOptions(settings, ranges)).flatMap(([name, value]) => {
    const range = rangeFor(name, settings, ranges);
    if (typeof value !== 'number' || !range) return [];
    return inRange(value, range) ? [] : [{ name, range }];
  });
}

/** The form's starting point: greedy, as the reference demo and Hugging Face default. */
export const DEFAULT_SETTINGS: Settings = { strategy: 'GREEDY' };

/**
 * The `options` argument of a stream: the set fields, without nulls, and only those the published table says apply
 * to the chosen strategy (an option of another strategy is an error on the server, and meaningless in the form).
 */
export function toOptions(settings: Settings, ranges: OptionRanges): Settings {
  const strategy = settings.strategy ?? 'GREEDY';
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) continue;
    const published = ranges[key];
    if (published && !published.strategies.includes(strategy)) continue;
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
export function sameOptions(a: Settings, b: Settings, ranges: OptionRanges): boolean {
  return JSON.stringify(sortKeys(toOptions(a, ranges))) === JSON.stringify(sortKeys(toOptions(b, ranges)));
}

function sortKeys(o: object): [string, unknown][] {
  return Object.entries(o).sort(([x], [y]) => x.localeCompare(y));
}
