'use client';
// The open conversation's name in the header, with Rename: Enter saves, Escape cancels, the focus comes back to Rename.
import { useEffect, useRef, useState } from 'react';
import styles from './ChatApp.module.css';

interface ConversationTitleProps {
  /** The name shown (title, else caption); null on the empty page. */
  name: string | null;
  /** The stored title ('' when none). */
  title: string;
  maxChars: number;
  canRename: boolean;
  onRename: (title: string) => Promise<void>;
}

export function ConversationTitle({ name, title, maxChars, canRename, onRename }: ConversationTitleProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(title);
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    // Into the box when editing starts; back to Rename when it ends (saved or cancelled).
    if (editing) input.current?.select();
    else if (wasEditing.current) button.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const done = () => setEditing(false);
  if (editing)
    return (
      <form
        className={styles.title}
        onSubmit={(e) => {
          e.preventDefault();
          void onRename(text).then(done);
        }}
      >
        <input
          ref={input}
          className={styles.titleInput}
          value={text}
          maxLength={maxChars}
          aria-label="Conversation title"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              done();
            }
          }}
          data-testid="title-input"
        />
      </form>
    );
  return (
    <div className={styles.title}>
      <h1 className={styles.titleText} data-testid="conversation-title">
        {name ?? 'Ask about an image'}
      </h1>
      {canRename && (
        <button
          ref={button}
          type="button"
          className={styles.textButton}
          onClick={() => {
            setText(title || name || '');
            setEditing(true);
          }}
          data-testid="rename-button"
        >
          Rename
        </button>
      )}
    </div>
  );
}
