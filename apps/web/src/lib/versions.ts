// Regenerating an answer or editing a question makes a new version of that turn rather than a new turn at the bottom:
// the conversation shows one place per original turn, with its versions to step through (newest first shown).
import type { TurnView } from './turns.js';

/** One place in the conversation: the original turn and the versions that replaced it, oldest first. */
export interface Slot {
  key: string;
  versions: TurnView[];
}

/** Groups turns by the turn they replace (following chains), keeping the order of the originals. */
export function slotsOf(turns: TurnView[]): Slot[] {
  const slots: Slot[] = [];
  const slotOfId = new Map<string, Slot>();
  for (const turn of turns) {
    const target = turn.replaces ? slotOfId.get(turn.replaces) : undefined;
    const slot = target ?? { key: turn.key, versions: [] };
    if (!target) slots.push(slot);
    slot.versions.push(turn);
    if (turn.id) slotOfId.set(turn.id, slot);
  }
  return slots;
}

/** The id a new version of `turn` should name as replaced: the original of its place, so chains stay flat. */
export function originalOf(turns: TurnView[], turn: TurnView): string | null {
  const slot = slotsOf(turns).find((s) => s.versions.includes(turn));
  return slot?.versions[0]?.id ?? turn.id;
}
