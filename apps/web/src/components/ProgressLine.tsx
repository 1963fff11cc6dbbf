// Before the first token: where the question is ("2nd in line", "looking at the image"), or that the server is silent.
import type { TurnProgress } from '../lib/turns.js';
import styles from './Message.module.css';

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10];
  return `${n}${suffix ?? 'th'}`;
}

/** The sentence for a progress state. */
export function progressText(progress: TurnProgress): string {
  switch (progress.stage) {
    case 'sent':
      return 'Sent…';
    case 'queued':
      return `${ordinal(progress.position)} in line…`;
    case 'image':
      return progress.cached ? 'Reading the image from cache…' : 'Looking at the image…';
    case 'answering':
      return 'Answering…';
    case 'stalled':
      return 'The server is not responding. Waiting… (Stop to give up)';
  }
}

export function ProgressLine({ progress }: { progress: TurnProgress | null }) {
  if (!progress) return null;
  return (
    <p
      className={progress.stage === 'stalled' ? styles.stalled : styles.progress}
      data-testid="message-progress"
      data-stage={progress.stage}
    >
      {progressText(progress)}
    </p>
  );
}
