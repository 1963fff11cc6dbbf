'use client';
// The empty state: pick a file (a real button, so it works from the keyboard), drop or paste one, or take a sample.
import type { ModelInfo } from '../lib/api.js';
import styles from './ImageDrop.module.css';
import { ModelCard } from './ModelCard.js';
import { SamplePicker } from './SamplePicker.js';
import type { SampleImage } from './useUpload.js';

interface ImageDropProps {
  /** Opens the page's file picker. */
  onPick: () => void;
  onSample: (sample: SampleImage) => void;
  /** The model new conversations use (its card says what it knows). */
  model: ModelInfo | undefined;
}

/** The drop zone with its file input and the sample images. */
export function ImageDrop({ onPick, onSample, model }: ImageDropProps) {
  return (
    <section className={styles.drop} data-testid="drop-zone" aria-labelledby="drop-title">
      <h2 id="drop-title" className={styles.title}>
        Start with an image
      </h2>
      <p className={styles.hint}>Drop a picture here, paste one, or</p>
      <button type="button" className={styles.pick} onClick={onPick} data-testid="pick-button">
        Choose an image…
      </button>
      <SamplePicker onSample={onSample} />
      <ModelCard model={model} />
    </section>
  );
}
