'use client';
// The demo model's sample images, one click (or Enter) each; hidden when the web app has none to offer.
import { useEffect, useState } from 'react';
import styles from './ImageDrop.module.css';
import type { SampleImage } from './useUpload.js';

/** Most samples shown at once. */
const MAX_SAMPLES = 12;

/** Thumbnails of /samples. */
export function SamplePicker({ onSample }: { onSample: (sample: SampleImage) => void }) {
  const [samples, setSamples] = useState<SampleImage[]>([]);
  useEffect(() => {
    fetch('/samples')
      .then((r) => (r.ok ? r.json() : { samples: [] }))
      .then((body: { samples: SampleImage[] }) => setSamples(body.samples.slice(0, MAX_SAMPLES)))
      .catch(() => setSamples([]));
  }, []);
  if (samples.length === 0) return null;
  return (
    <div className={styles.samples}>
      <p className={styles.hint}>…or try a sample the demo model knows:</p>
      <ul className={styles.sampleList} data-testid="samples">
        {samples.map((s) => (
          <li key={s.file}>
            <button
              type="button"
              className={styles.sample}
              onClick={() => onSample(s)}
              data-testid="sample"
              data-file={s.file}
            >
              {/* biome-ignore lint/performance/noImgElement: tiny local PNGs, no optimisation to gain */}
              <img src={s.url} alt={`Sample ${s.file}`} width={72} height={72} />
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
