'use client';
// Copy and regenerate, under a finished answer.
import { useState } from 'react';
import styles from './Message.module.css';

/** How long "Copied" stays before the button reads "Copy" again, ms. */
const COPIED_NOTICE_MS = 1500;

/** The two buttons; copying falls back to selecting nothing when the clipboard is not allowed. */
export function MessageActions({ text, onRegenerate }: { text: string; onRegenerate: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied('no'), COPIED_NOTICE_MS);
  };
  return (
    <span className={styles.actions}>
      <button
        type="button"
        className={styles.action}
        onClick={copy}
        disabled={!text}
        data-testid="copy-button"
      >
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
      </button>
      <button type="button" className={styles.action} onClick={onRegenerate} data-testid="regenerate-button">
        Regenerate
      </button>
    </span>
  );
}
