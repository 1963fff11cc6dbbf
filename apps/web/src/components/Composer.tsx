'use client';
// The question box: Enter sends, Shift+Enter breaks the line, Escape stops; typed text is kept until it is sent.
// Out-of-range settings block sending (the note says which and opens Settings), so they are never sent.
import { type FormEvent, type KeyboardEvent, type RefObject, useEffect, useState } from 'react';
import { describeRange, type SettingProblem } from '../lib/settings.js';
import styles from './Composer.module.css';

interface ComposerProps {
  inputRef: RefObject<HTMLTextAreaElement | null>;
  disabled: boolean;
  streaming: boolean;
  /** Name of the file being uploaded, if any. */
  uploading: string | null;
  problems: SettingProblem[];
  maxChars: number;
  /** Returns false when the question could not be started (then the text stays in the box). */
  onAsk: (question: string) => boolean;
  onStop: () => void;
  onOpenSettings: () => void;
  /** Starts a new conversation from a new image (null on the empty page, which has its own picker). */
  onPickImage: (() => void) | null;
}

/** Text area plus a Send button that turns into Stop while an answer streams. */
export function Composer(props: ComposerProps) {
  const { inputRef, disabled, streaming, uploading, problems, maxChars, onAsk, onStop } = props;
  const [text, setText] = useState('');
  useDraft(text, setText);
  const question = text.trim();
  const tooLong = question.length > maxChars;
  const blocked = problems.length > 0;

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (disabled || streaming || question === '' || tooLong || blocked) return;
    if (onAsk(question)) setText('');
    // A click on Send leaves the focus on a button that turns into Stop: bring it back to the question.
    inputRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
    if (event.key === 'Escape' && streaming) {
      event.preventDefault();
      onStop();
    }
  };
  const notes = [
    uploading && `Uploading “${uploading}”…`,
    tooLong && `${question.length}/${maxChars} characters`,
  ].filter(Boolean);
  return (
    <form className={styles.composer} onSubmit={send} data-testid="composer">
      {blocked && <SettingsNote problems={problems} onOpen={props.onOpenSettings} />}
      {notes.length > 0 && (
        <span id="composer-note" className={styles.warning} data-testid="composer-note" role="status">
          {notes.join(' · ')}
        </span>
      )}
      {props.onPickImage && (
        <button
          type="button"
          className={styles.attach}
          onClick={props.onPickImage}
          title="Start a new conversation about another image"
          data-testid="new-image"
        >
          New image…
        </button>
      )}
      <label htmlFor="question" className={styles.srOnly}>
        Your question about the image
      </label>
      <textarea
        ref={inputRef}
        id="question"
        className={styles.input}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={disabled ? 'Choose an image first…' : 'Ask about the image… (Enter to send)'}
        aria-invalid={tooLong}
        aria-describedby={notes.length > 0 ? 'composer-note' : undefined}
        data-testid="question-input"
      />
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
          disabled={disabled || question === '' || tooLong || blocked}
          data-testid="send-button"
        >
          Send
        </button>
      )}
    </form>
  );
}

/** Says which settings are out of range, once, with the way to fix them. */
function SettingsNote({ problems, onOpen }: { problems: SettingProblem[]; onOpen: () => void }) {
  const list = problems.map((p) => `${p.name} must be ${describeRange(p.range)}`).join('; ');
  return (
    <p className={styles.blocked} role="alert" data-testid="settings-problem">
      Not sent: {list}.{' '}
      <button type="button" className={styles.fix} onClick={onOpen}>
        Fix in Settings
      </button>
    </p>
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
