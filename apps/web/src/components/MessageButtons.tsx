'use client';
// Under a finished answer: the versions of its place (‹ 2 / 3 ›), Copy, and Regenerate (or Retry for a turn that
// never reached the server).
import { useState } from 'react';
import type { TurnView } from '../lib/turns.js';
import styles from './Message.module.css';

/** What a message can ask the chat to do (stable functions). */
export interface MessageActions {
  regenerate(turn: TurnView): void;
  edit(turn: TurnView, question: string): void;
  retry(turn: TurnView): void;
  openSettings(): void;
}

/** Which version of its place the message shows. */
export interface Version {
  index: number;
  count: number;
  step(index: number): void;
}

/** How long "Copied" stays before the button reads "Copy" again, ms. */
const COPIED_NOTICE_MS = 1500;

export function MessageButtons({
  turn,
  version,
  actions,
}: {
  turn: TurnView;
  version: Version;
  actions: MessageActions;
}) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(turn.text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('no'), COPIED_NOTICE_MS);
  };
  return (
    <span className={styles.actions}>
      {version.count > 1 && (
        <span className={styles.versions} data-testid="versions">
          <button
            type="button"
            className={styles.action}
            disabled={version.index === 0}
            onClick={() => version.step(version.index - 1)}
            aria-label="Previous version"
            data-testid="version-previous"
          >
            ‹
          </button>
          <span data-testid="version-label">
            {version.index + 1} / {version.count}
          </span>
          <button
            type="button"
            className={styles.action}
            disabled={version.index === version.count - 1}
            onClick={() => version.step(version.index + 1)}
            aria-label="Next version"
            data-testid="version-next"
          >
            ›
          </button>
        </span>
      )}
      <button
        type="button"
        className={styles.action}
        onClick={copy}
        disabled={!turn.text}
        data-testid="copy-button"
      >
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
      {turn.unsent ? (
        <button
          type="button"
          className={styles.action}
          onClick={() => actions.retry(turn)}
          data-testid="retry-button"
        >
          Ask again
        </button>
      ) : (
        <button
          type="button"
          className={styles.action}
          onClick={() => actions.regenerate(turn)}
          data-testid="regenerate-button"
        >
          Regenerate
        </button>
      )}
    </span>
  );
}
