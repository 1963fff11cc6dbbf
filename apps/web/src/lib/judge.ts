// What the UI says about how far to trust an answer, from what the API publishes: the model's confidence threshold
// and the answer its card says it gives to questions outside what it knows.
import type { ModelInfo } from './api.js';
import type { TurnView } from './turns.js';

/** 'outside': the model's "I don't know" answer; 'low': below its confidence threshold; null: nothing to say. */
export type Trust = 'outside' | 'low' | null;

/** The model a turn was answered by (its name or base name), else the default. */
export function modelOf(models: ModelInfo[], name: string | null | undefined): ModelInfo | undefined {
  return (
    models.find((m) => m.name === name) ??
    models.find((m) => m.baseName === name) ??
    models.find((m) => m.isDefault) ??
    models[0]
  );
}

/** How far a finished answer can be trusted, by the rules its model publishes. */
export function trustOf(turn: TurnView, model: ModelInfo | undefined): Trust {
  if (turn.status !== 'COMPLETED' || !model) return null;
  const outside = model.card?.outsideAnswer;
  if (outside && turn.kind === 'QUESTION' && turn.text.trim().toLowerCase() === outside.trim().toLowerCase())
    return 'outside';
  const threshold = model.confidenceThreshold;
  if (threshold !== null && turn.confidence !== null && turn.confidence < threshold) return 'low';
  return null;
}

/** Questions to offer for an image: the sample's own, then one example per question type of the model's card. */
export function suggestionsFor(
  sample: string[],
  model: ModelInfo | undefined,
  asked: Set<string | null>,
): string[] {
  const fromCard = model?.card?.questionTypes.flatMap((t) => t.examples.slice(0, 1)) ?? [];
  return [...new Set([...sample, ...fromCard])].filter((q) => !asked.has(q)).slice(0, 6);
}
