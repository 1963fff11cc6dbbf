// The evaluation sets of the shapes demo model (issue 15's Show list), each drawn fresh from its own seed.

import type { GenerateOptions } from './heldout-set.js';

/** One evaluation set: how the generator makes it, and whether its right answer is the honest "outside" one. */
export interface EvalSet {
  name: string;
  label: string;
  outside: boolean;
  /** Captions are scored on this fraction of the set's --captions (0: none). */
  captionShare: number;
  options: Pick<GenerateOptions, 'kind' | 'canvas' | 'background'>;
}

export const EVAL_SETS: EvalSet[] = [
  { name: 'own', label: 'own generator', outside: false, captionShare: 1, options: { kind: 'own' } },
  {
    name: 'independent-96',
    label: 'independent SVG renderer, 96x96, mixed backgrounds',
    outside: false,
    captionShare: 1,
    options: { kind: 'spec', canvas: '96x96', background: 'any' },
  },
  {
    name: 'independent-white',
    label: 'independent SVG renderer, 48-320 px, aspect 0.55-1.8, white',
    outside: false,
    captionShare: 1,
    options: { kind: 'spec', background: 'white' },
  },
  {
    name: 'independent-dark',
    label: 'independent SVG renderer, 48-320 px, aspect 0.55-1.8, dark',
    outside: false,
    captionShare: 1,
    options: { kind: 'spec', background: 'dark' },
  },
  {
    name: 'phrasings',
    label: 'held-out phrasings',
    outside: false,
    captionShare: 0,
    options: { kind: 'phrasings' },
  },
  {
    name: 'outside',
    label: 'out-of-world questions and non-scene images',
    outside: true,
    captionShare: 1,
    options: { kind: 'outside' },
  },
  // Last, so that adding it left every other set's seed as it was.
  {
    name: 'written',
    label: 'phrasings written apart by another session',
    outside: false,
    captionShare: 0,
    options: { kind: 'written' },
  },
];

/** The seed of set i for a run's base seed: every set fresh, none shared with another set or with training. */
export function setSeed(base: number, index: number): number {
  return base + 7919 * index;
}

/** The sets named in a comma-separated list ('all' for every set); unknown names are an error. */
export function selectSets(names: string): EvalSet[] {
  if (names === 'all') return EVAL_SETS;
  return names.split(',').map((name) => {
    const set = EVAL_SETS.find((s) => s.name === name.trim());
    if (!set)
      throw new Error(
        `unknown set ${JSON.stringify(name)}; sets: ${EVAL_SETS.map((s) => s.name).join(', ')}`,
      );
    return set;
  });
}
