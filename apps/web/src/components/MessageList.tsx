'use client';
// The conversation's messages in order; scrolls to the newest while it grows.
import { useEffect, useRef } from 'react';
import type { TurnView } from '../lib/turns.js';
import { Message } from './Message.js';
import styles from './Message.module.css';

/** All turns; each renders only when its own turn object changes. */
export function MessageList({
  turns,
  onRegenerate,
}: {
  turns: TurnView[];
  onRegenerate: (question: string | null) => void;
}) {
  const end = useRef<HTMLDivElement>(null);
  const last = turns.at(-1);
  // Follow the newest text as it streams in: the dependencies are the triggers (a new turn, a longer answer, an ending).
  // biome-ignore lint/correctness/useExhaustiveDependencies: triggers, not inputs
  useEffect(() => {
    // A block body on purpose: newer browsers return a Promise from scrollIntoView, which React must not get back.
    end.current?.scrollIntoView({ block: 'end' });
  }, [turns.length, last?.text.length, last?.status]);
  if (turns.length === 0) return null;
  return (
    <>
      <ol className={styles.list} data-testid="messages" aria-label="Messages">
        {turns.map((turn) => (
          <Message key={turn.key} turn={turn} onRegenerate={onRegenerate} />
        ))}
      </ol>
      <div ref={end} />
    </>
  );
}
