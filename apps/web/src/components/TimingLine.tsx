// First token, total time and tokens/s of one answer, small and quiet, as the reference demo shows its time.
// A stopped turn says when it was stopped, and "first token" only if a token came (the API sends null otherwise).
import { type TurnView, tokensPerSecond } from '../lib/turns.js';
import styles from './Message.module.css';

/** "first token 42 ms · total 180 ms · 35 tok/s"; nothing before the timings are known. */
export function TimingLine({ turn }: { turn: TurnView }) {
  const t = turn.timings;
  if (!t) return <span />;
  const parts: string[] = [];
  const stopped = turn.status === 'CANCELLED' || turn.status === 'INTERRUPTED';
  if (t.firstTokenMs !== null && t.firstTokenMs > 0 && (turn.tokens > 0 || !stopped))
    parts.push(`first token ${ms(t.firstTokenMs)}`);
  parts.push(stopped ? `stopped after ${ms(t.totalMs)}` : `total ${ms(t.totalMs)}`);
  const rate = stopped ? null : tokensPerSecond(turn.tokens, t);
  if (rate !== null) parts.push(`${rate.toFixed(rate < 10 ? 1 : 0)} tok/s`);
  if (t.visionMs === 0 && turn.kind === 'QUESTION' && !stopped) parts.push('image cached');
  return (
    <span className={styles.timings} data-testid="timings">
      {parts.join(' · ')}
    </span>
  );
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
