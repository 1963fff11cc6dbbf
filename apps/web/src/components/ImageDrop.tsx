'use client';
// The empty state: pick a file (a real button, so it works from the keyboard), drop or paste one, or take a sample.
import { useRef } from 'react';
import styles from './ImageDrop.module.css';
import { SamplePicker } from './SamplePicker.js';
import type { SampleImage } from './useUpload.js';

interface ImageDropProps {
  accept: string[];
  onFile: (file: File) => void;
  onSample: (sample: SampleImage) => void;
}

/** The drop zone with its file input and the sample images. */
export function ImageDrop({ accept, onFile, onSample }: ImageDropProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className={styles.drop} data-testid="drop-zone" aria-labelledby="drop-title">
      <h2 id="drop-title" className={styles.title}>
        Start with an image
      </h2>
      <p className={styles.hint}>Drop a picture here, paste one, or</p>
      <button
        type="button"
        className={styles.pick}
        onClick={() => input.current?.click()}
        data-testid="pick-button"
      >
        Choose an image…
      </button>
      <input
        ref={input}
        type="file"
        accept={accept.join(',')}
        className={styles.hidden}
        aria-label="Image file"
        data-testid="file-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
      <SamplePicker onSample={onSample} />
    </section>
  );
}
