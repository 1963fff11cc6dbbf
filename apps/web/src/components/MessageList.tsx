'use client';
// The conversation's messages in order, one place per original turn: a regenerated answer or an edited question is a
// new version shown in that place (with ‹ › to step through the versions), never a new message at the bottom.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ModelInfo } from '../lib/api.js';
import { modelOf, trustOf } from '../lib/judge.js';
import type { TurnView } from '../lib/turns.js';
import { type Slot, slotsOf } from '../lib/versions.js';
import { Message } from './Message.js';
import styles from './Message.module.css';
import type { MessageActions } from './MessageButtons.js';

interface MessageListProps {
  turns: TurnView[];
  /** The loaded models: their thresholds and cards say which answers to mark. */
  models: ModelInfo[];
  onRegenerate: (turn: TurnView) => void;
  onEdit: (turn: TurnView, question: string) => void;
  onRetry: (turn: TurnView) => void;
  onOpenSettings: () => void;
}

/** All places; each message renders only when its own turn object changes. */
export function MessageList(props: MessageListProps) {
  const { turns } = props;
  const end = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  // Stable handlers, so a streaming answer does not re-render every other message.
  const actions = useMemo<MessageActions>(
    () => ({
      regenerate: (t) => latest.current.onRegenerate(t),
      edit: (t, q) => latest.current.onEdit(t, q),
      retry: (t) => latest.current.onRetry(t),
      openSettings: () => latest.current.onOpenSettings(),
    }),
    [],
  );
  const slots = useMemo(() => slotsOf(turns), [turns]);
  const last = turns.at(-1);
  // Follow the newest text as it streams in: the dependencies are the triggers (a new turn, a longer answer, an ending).
  // biome-ignore lint/correctness/useExhaustiveDependencies: triggers, not inputs
  useEffect(() => {
    // A block body on purpose: newer browsers return a Promise from scrollIntoView, which React must not get back.
    if (last && !last.replaces) end.current?.scrollIntoView({ block: 'end' });
  }, [turns.length, last?.text.length, last?.status]);
  if (turns.length === 0) return null;
  return (
    <>
      <ol className={styles.list} data-testid="messages" aria-label="Messages">
        {slots.map((slot) => (
          <SlotView key={slot.key} slot={slot} actions={actions} models={props.models} />
        ))}
      </ol>
      <div ref={end} />
    </>
  );
}

/** One place: the newest version unless the user stepped back to an older one. */
function SlotView({ slot, actions, models }: { slot: Slot; actions: MessageActions; models: ModelInfo[] }) {
  const count = slot.versions.length;
  // The choice is remembered with the count it was made at: a new version shows itself.
  const [chosen, setChosen] = useState<{ at: number; index: number } | null>(null);
  const index = chosen && chosen.at === count ? chosen.index : count - 1;
  const turn = slot.versions[index] ?? slot.versions[count - 1];
  if (!turn) return null;
  const version = { index, count, step: (i: number) => setChosen({ at: count, index: i }) };
  const trust = trustOf(turn, modelOf(models, turn.model));
  return <Message turn={turn} version={version} actions={actions} trust={trust} />;
}
