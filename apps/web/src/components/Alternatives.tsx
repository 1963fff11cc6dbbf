// The other beams and their scores, folded away under the best answer.
import type { Alternative } from '../lib/turns.js';
import styles from './Message.module.css';

/** Lists the alternatives when beam search returned more than one. */
export function Alternatives({ alternatives }: { alternatives: Alternative[] }) {
  if (alternatives.length < 2) return null;
  return (
    <details className={styles.alternatives} data-testid="alternatives">
      <summary>{alternatives.length} alternatives</summary>
      <ol>
        {alternatives.map((a, i) => (
          // Two beams can decode to the same text, so the rank is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
          <li key={i} data-testid="alternative">
            <span>{a.text || '(empty)'}</span>{' '}
            <span className={styles.score}>score {a.score.toFixed(3)}</span>
          </li>
        ))}
      </ol>
    </details>
  );
}
