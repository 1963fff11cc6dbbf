'use client';
// The conversation's image: stays in view (sticky) while questions are asked below it, and opens full size on click.
import { useRef } from 'react';
import styles from './ImageDrop.module.css';

/** The picture; a click (or Enter) shows it full size in a dialog that Escape or a click closes. */
export function ImagePreview({ src }: { src: string }) {
  const zoom = useRef<HTMLDialogElement>(null);
  return (
    <figure className={styles.preview} data-testid="image-preview">
      <button
        type="button"
        className={styles.zoomButton}
        onClick={() => zoom.current?.showModal()}
        aria-label="Show the image full size"
        data-testid="image-zoom"
      >
        {/* biome-ignore lint/performance/noImgElement: a user's own upload or a blob URL, nothing to optimise */}
        <img src={src} alt="What this conversation is about" />
      </button>
      <dialog
        ref={zoom}
        className={styles.zoom}
        aria-label="The image, full size"
        onClick={() => zoom.current?.close()}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') zoom.current?.close();
        }}
        data-testid="image-zoomed"
      >
        {/* biome-ignore lint/performance/noImgElement: as above */}
        <img src={src} alt="What this conversation is about, full size" />
        <form method="dialog">
          <button type="submit" className={styles.closeZoom} data-testid="image-zoom-close">
            Close
          </button>
        </form>
      </dialog>
    </figure>
  );
}
