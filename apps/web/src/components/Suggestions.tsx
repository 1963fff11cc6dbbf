// Example questions for a sample image: one click (or Enter) asks it.
import styles from './Composer.module.css';

/** A row of question chips; nothing when there are none or an answer is streaming. */
export function Suggestions({
  questions,
  disabled,
  onAsk,
}: {
  questions: string[];
  disabled: boolean;
  onAsk: (question: string) => void;
}) {
  if (questions.length === 0) return null;
  return (
    <ul className={styles.suggestions} aria-label="Example questions" data-testid="suggestions">
      {questions.map((q) => (
        <li key={q}>
          <button
            type="button"
            className={styles.chip}
            disabled={disabled}
            onClick={() => onAsk(q)}
            data-testid="suggestion"
          >
            {q}
          </button>
        </li>
      ))}
    </ul>
  );
}
