// Generation settings in the form: what the user picked, and the GenerationOptions input sent with every turn.
import type { Settings } from './apiTypes.js';

/** Named limits the form enforces (the API validates again and names the field when it disagrees). */
export const SETTING_LIMITS = {
  numBeams: { min: 2, max: 16 },
  maxNewTokens: { min: 1, max: 256 },
  temperature: { min: 0.05, max: 5 },
  topK: { min: 0, max: 1000 },
  topP: { min: 0.01, max: 1 },
  repetitionPenalty: { min: 1, max: 5 },
} as const;

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
