'use client';
// One place in the conversation: the question (if any) and the answer bubble with its status, markers, timings,
// versions and actions. Memoised: while one answer streams, no other message re-renders.
import { memo } from 'react';
import type { Trust } from '../lib/judge.js';
import type { TurnView } from '../lib/turns.js';
import { Alternatives } from './Alternatives.js';
import styles from './Message.module.css';
import { type MessageActions, MessageButtons, type Version } from './MessageButtons.js';
import { ProgressLine } from './ProgressLine.js';
import { QuestionBubble } from './QuestionBubble.js';
import { TimingLine } from './TimingLine.js';

interface MessageProps {
  turn: TurnView;
  version: Version;
  actions: MessageActions;
  /** A marker when the answer is a guess or outside what the model knows. */
  trust: Trust;
}

const STATUS_LABEL: Partial<Record<TurnView['status'], string>> = {
  CANCELLED: 'Stopped',
  INTERRUPTED: 'Interrupted',
  FAILED: 'Failed',
  PENDING: 'Unfinished',
};

function MessageView({ turn, version, actions, trust }: MessageProps) {
  const streaming = turn.status === 'STREAMING';
  const label = STATUS_LABEL[turn.status];
  return (
    <li
      className={styles.turn}
      data-testid="message"
      data-kind={turn.kind}
      data-status={turn.status}
      data-version={`${version.index + 1}/${version.count}`}
    >
      {turn.question !== null && (
        <QuestionBubble question={turn.question} editable={!streaming} onAsk={(q) => actions.edit(turn, q)} />
      )}
      <div className={styles.answer} aria-busy={streaming}>
        {turn.kind === 'CAPTION' && <span className={styles.kind}>Caption</span>}
        {streaming && turn.text === '' && <ProgressLine progress={turn.progress} />}
        {(turn.text !== '' || (streaming && !turn.progress) || !turn.error) && (
          <p className={styles.text} data-testid="message-answer">
            {turn.text}
            {streaming && <span className={styles.cursor} aria-hidden="true" />}
            {!streaming && turn.text === '' && <em className={styles.muted}>(no text)</em>}
          </p>
        )}
        {trust === 'outside' && (
          <p className={styles.marker} data-testid="trust-marker" data-trust="outside">
            Outside what this model knows: this is its “I can’t tell” answer, not a fact about the image.
          </p>
        )}
        {trust === 'low' && (
          <p className={styles.marker} data-testid="trust-marker" data-trust="low">
            Low confidence ({Math.round((turn.confidence ?? 0) * 100)}%): the model may be guessing.
          </p>
        )}
        {turn.finishReason === 'LENGTH' && turn.status === 'COMPLETED' && (
          <p className={styles.marker} data-testid="cut-marker">
            Cut off: the answer reached the “max new tokens” limit.{' '}
            <button type="button" className={styles.link} onClick={actions.openSettings}>
              Raise it in Settings
            </button>
          </p>
        )}
        {label && (
          <p className={styles.status} data-testid="message-status">
            {label}
            {turn.status === 'CANCELLED' && turn.text ? ' — partial answer' : ''}
            {turn.unsent ? ' — never reached the server' : ''}
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
            <MessageButtons turn={turn} version={version} actions={actions} />
          </footer>
        )}
      </div>
    </li>
  );
}

/** A memoised message: re-renders only when its turn or the version shown changes. */
export const Message = memo(
  MessageView,
  (a, b) =>
    a.turn === b.turn &&
    a.actions === b.actions &&
    a.trust === b.trust &&
    a.version.index === b.version.index &&
    a.version.count === b.version.count,
);
