'use client';
// The user's question; "Edit" turns it into a box to change and ask again (the new answer is a new version in place).
import { useEffect, useRef, useState } from 'react';
import styles from './Message.module.css';

interface QuestionBubbleProps {
  question: string;
  editable: boolean;
  onAsk: (question: string) => void;
}

export function QuestionBubble({ question, editable, onAsk }: QuestionBubbleProps) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(question);
  const box = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (editing) box.current?.focus();
  }, [editing]);
  if (!editing)
    return (
      <div className={styles.questionRow}>
        {editable && (
          <button
            ref={editButton}
            type="button"
            className={styles.action}
            onClick={() => {
              setText(question);
              setEditing(true);
            }}
            aria-label={`Edit the question “${question}”`}
            data-testid="edit-question"
          >
            Edit
          </button>
        )}
        <p className={styles.question} data-testid="message-question">
          {question}
        </p>
      </div>
    );
  const cancel = () => setEditing(false);
  const ask = () => {
    const q = text.trim();
    if (q === '') return;
    setEditing(false);
    onAsk(q);
  };
  return (
    <form
      className={styles.editForm}
      onSubmit={(e) => {
        e.preventDefault();
        ask();
      }}
      data-testid="edit-form"
    >
      <label htmlFor="edit-question" className={styles.srOnly}>
        Edited question
      </label>
      <textarea
        id="edit-question"
        ref={box}
        value={text}
        rows={2}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') cancel();
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            ask();
          }
        }}
        data-testid="edit-input"
      />
      <span className={styles.actions}>
        <button type="button" className={styles.action} onClick={cancel}>
          Cancel
        </button>
        <button type="submit" className={styles.action} data-testid="edit-ask">
          Ask
        </button>
      </span>
    </form>
  );
}
