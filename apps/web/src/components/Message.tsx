'use client';
// One turn: the question (if any) and the answer bubble with its status, timings and actions.
// Memoised on the turn object: while one answer streams, no other message re-renders.
import { memo } from 'react';
import type { TurnView } from '../lib/turns.js';
import { Alternatives } from './Alternatives.js';
import styles from './Message.module.css';
import { MessageActions } from './MessageActions.js';
import { TimingLine } from './TimingLine.js';

interface MessageProps {
  turn: TurnView;
  onRegenerate: (question: string | null) => void;
}

const STATUS_LABEL: Partial<Record<TurnView['status'], string>> = {
  CANCELLED: 'Stopped',
  INTERRUPTED: 'Interrupted',
  FAILED: 'Failed',
  PENDING: 'Unfinished',
};

function MessageView({ turn, onRegenerate }: MessageProps) {
  const streaming = turn.status === 'STREAMING';
  const label = STATUS_LABEL[turn.status];
  return (
    <li className={styles.turn} data-testid="message" data-kind={turn.kind} data-status={turn.status}>
      {turn.question !== null && (
        <p className={styles.question} data-testid="message-question">
          {turn.question}
        </p>
      )}
      <div className={styles.answer} aria-busy={streaming}>
        {turn.kind === 'CAPTION' && <span className={styles.kind}>Caption</span>}
        {(turn.text !== '' || streaming || !turn.error) && (
          <p className={styles.text} data-testid="message-answer">
            {turn.text}
            {streaming && <span className={styles.cursor} aria-hidden="true" />}
            {!streaming && turn.text === '' && <em className={styles.muted}>(no text)</em>}
          </p>
        )}
        {label && (
          <p className={styles.status} data-testid="message-status">
            {label}
            {turn.status === 'CANCELLED' && turn.text ? ' — partial answer' : ''}
          </p>
        )}
        {turn.error && (
          <p className={styles.error} role="alert" data-testid="message-error">
            {turn.error.message}
          </p>
        )}
        <Alternatives alternatives={turn.alternatives} />
        {!streaming && (
          <footer className={styles.footer}>
            <TimingLine turn={turn} />
            <MessageActions text={turn.text} onRegenerate={() => onRegenerate(turn.question)} />
          </footer>
        )}
      </div>
    </li>
  );
}

/** A memoised message: re-renders only when its turn object (or the regenerate handler) changes. */
export const Message = memo(MessageView, (a, b) => a.turn === b.turn && a.onRegenerate === b.onRegenerate);
