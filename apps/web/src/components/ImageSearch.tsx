'use client';
// The picture search above the conversation list: a box (Enter searches), then a grid of the best-matching images,
// in the API's order, each with its rank and (labelled, as a detail) its match probability; choosing one opens its
// newest conversation, or starts one about it.
import { useState } from 'react';
import type { ImageHit } from '../lib/api.js';
import { detailText, legendText, rankText } from '../lib/searchHits.js';
import styles from './ImageSearch.module.css';
import type { useImageSearch } from './useImageSearch.js';

interface ImageSearchProps {
  search: ReturnType<typeof useImageSearch>;
  maxChars: number;
  /** False until the server has published its search bounds. */
  enabled: boolean;
  onChoose(hit: ImageHit): void;
}

export function ImageSearch({ search, maxChars, enabled, onChoose }: ImageSearchProps) {
  const [text, setText] = useState('');
  const { state } = search;
  return (
    <section className={styles.box} aria-label="Find pictures">
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          if (enabled) void search.run(text);
        }}
      >
        <input
          type="search"
          className={styles.input}
          placeholder="Describe a picture…"
          aria-label="Find my pictures by describing them"
          maxLength={maxChars}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) search.clear();
          }}
          data-testid="image-search"
        />
        <button
          type="submit"
          className={styles.go}
          disabled={!enabled || !text.trim()}
          data-testid="image-search-go"
        >
          Find
        </button>
      </form>
      {state.kind === 'searching' && (
        <p className={styles.muted} aria-live="polite">
          Searching…
        </p>
      )}
      {state.kind === 'done' && (
        <Results hits={state.hits} text={state.text} searched={state.searched} onChoose={onChoose} />
      )}
    </section>
  );
}

function Results(props: { hits: ImageHit[]; text: string; searched: number; onChoose(hit: ImageHit): void }) {
  if (props.hits.length === 0)
    return (
      <p className={styles.muted} aria-live="polite" data-testid="image-results-empty">
        No pictures yet: upload some, then search them.
      </p>
    );
  return (
    <>
      <p className={styles.muted} aria-live="polite">
        Matches for “{props.text}” among {props.searched} pictures, best first.
      </p>
      <p className={styles.muted} data-testid="image-results-legend">
        {legendText(props.hits)}
      </p>
      <ol className={styles.grid} data-testid="image-results">
        {props.hits.map((hit, i) => (
          <li key={hit.image.id}>
            <button
              type="button"
              className={styles.hit}
              onClick={() => props.onChoose(hit)}
              data-testid="image-result"
              data-image-id={hit.image.id}
              title={hit.image.filename ?? undefined}
            >
              {/* biome-ignore lint/performance/noImgElement: served by the API through this origin */}
              <img
                src={hit.image.url}
                alt={hit.image.filename ?? 'an uploaded picture'}
                width={72}
                height={72}
              />
              <span className={styles.rank} data-testid="image-result-rank">
                {rankText(i)}
              </span>
              <span className={styles.score} data-testid="image-result-detail">
                {detailText(hit)}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}
