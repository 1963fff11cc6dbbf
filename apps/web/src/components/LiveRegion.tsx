// What a screen reader hears: the streaming answer as it grows, then that it finished or stopped.
import type { TurnView } from '../lib/turns.js';
import styles from './ChatApp.module.css';

/** A polite live region; its text is the streaming answer, or the last answer's outcome. */
export function LiveRegion({ turn, lastTurn }: { turn: TurnView | null; lastTurn: TurnView | null }) {
  let text = '';
  if (turn) text = turn.text;
  else if (lastTurn?.status === 'COMPLETED') text = `Answer: ${lastTurn.text}`;
  else if (lastTurn?.status === 'CANCELLED') text = `Stopped: ${lastTurn.text}`;
  else if (lastTurn?.error) text = lastTurn.error.message;
  return (
    <div
      className={styles.srOnly}
      aria-live="polite"
      role="status"
      data-testid="live-region"
      data-streaming={turn !== null}
    >
      {text}
    </div>
  );
}
