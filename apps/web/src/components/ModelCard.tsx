// What the loaded model knows, from its model folder's card: a summary and the kinds of question it was trained on,
// with examples. Full in the empty state; folded beside a conversation. A model without a card says so.
import type { ModelInfo } from '../lib/api.js';
import styles from './ModelCard.module.css';

interface ModelCardProps {
  model: ModelInfo | undefined;
  /** Folded under a summary line (beside a conversation) instead of open (the empty page). */
  compact?: boolean;
}

export function ModelCard({ model, compact = false }: ModelCardProps) {
  if (!model) return null;
  const card = model.card;
  const body = card ? (
    <>
      <p className={styles.summary}>{card.summary}</p>
      {card.questionTypes.length > 0 && (
        <ul className={styles.types}>
          {card.questionTypes.map((t) => (
            <li key={t.name} data-testid="model-card-type">
              <strong>{t.name}</strong>
              {t.examples.length > 0 && (
                <span className={styles.examples}> — e.g. “{t.examples.slice(0, 2).join('”, “')}”</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {card.outsideAnswer && (
        <p className={styles.note}>Questions outside this are answered “{card.outsideAnswer}”.</p>
      )}
    </>
  ) : (
    <p className={styles.summary} data-testid="model-card-none">
      This model’s folder does not say what it knows (
      {model.family === 'BLIP_CAPTION' ? 'captions only' : 'captions and questions'}): its answers may be
      guesses.
    </p>
  );
  const title = `What ${model.baseName} knows`;
  if (compact)
    return (
      <details className={styles.compact} data-testid="model-card" data-has-card={card !== null}>
        <summary>{title}</summary>
        {body}
      </details>
    );
  return (
    <section
      className={styles.card}
      aria-label={title}
      data-testid="model-card"
      data-has-card={card !== null}
    >
      <h3 className={styles.title}>{title}</h3>
      {body}
    </section>
  );
}
