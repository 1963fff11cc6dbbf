'use client';
// The question box: Enter sends, Shift+Enter breaks the line, Escape stops; typed text is kept until it is sent.
import { type FormEvent, type KeyboardEvent, useEffect, useState } from 'react';
import styles from './Composer.module.css';

interface ComposerProps {
  disabled: boolean;
  streaming: boolean;
  maxChars: number;
  /** Returns false when the question could not be started (then the text stays in the box). */
  onAsk: (question: string) => boolean;
  onStop: () => void;
}

/** Text area plus a Send button that turns into Stop while an answer streams. */
export function Composer({ disabled, streaming, maxChars, onAsk, onStop }: ComposerProps) {
  const [text, setText] = useState('');
  useDraft(text, setText);
  const question = text.trim();
  const tooLong = question.length > maxChars;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (disabled || streaming || question === '' || tooLong) return;
    if (onAsk(question)) setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
    if (event.key === 'Escape' && streaming) {
      event.preventDefault();
      onStop();
    }
  };
  return (
    <form className={styles.composer} onSubmit={send} data-testid="composer">
      <label htmlFor="question" className={styles.srOnly}>
        Your question about the image
      </label>
      <textarea
        id="question"
        className={styles.input}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={disabled ? 'Choose an image first…' : 'Ask about the image… (Enter to send)'}
        aria-invalid={tooLong}
        aria-describedby={tooLong ? 'question-too-long' : undefined}
        data-testid="question-input"
      />
      {tooLong && (
        <span id="question-too-long" className={styles.warning} data-testid="question-too-long">
          {question.length}/{maxChars} characters
        </span>
      )}
      {streaming ? (
        // Distinct keys: Stop and Send must be different elements, or a click aimed at Stop could land on Send.
        <button key="stop" type="button" className={styles.stop} onClick={onStop} data-testid="stop-button">
          Stop
        </button>
      ) : (
        <button
          key="send"
          type="submit"
          className={styles.send}
          disabled={disabled || question === '' || tooLong}
          data-testid="send-button"
        >
          Send
        </button>
      )}
    </form>
  );
}

/** sessionStorage entry of the unsent question. */
export const DRAFT_STORAGE = 'blip.draft';

/** Keeps the unsent question across a reload or a lost connection: restored once, saved on every change. */
function useDraft(text: string, setText: (text: string) => void): void {
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    setText(sessionStorage.getItem(DRAFT_STORAGE) ?? '');
    setRestored(true);
  }, [setText]);
  useEffect(() => {
    if (restored) sessionStorage.setItem(DRAFT_STORAGE, text);
  }, [text, restored]);
}
