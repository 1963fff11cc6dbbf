// The conversation's image, at the top of its messages.
import styles from './ImageDrop.module.css';

/** The picture, dimmed with a notice while it uploads. */
export function ImagePreview({ src, uploading }: { src: string; uploading: boolean }) {
  return (
    <figure className={styles.preview} data-testid="image-preview" aria-busy={uploading}>
      {/* biome-ignore lint/performance/noImgElement: a user's own upload or a blob URL, nothing to optimise */}
      <img src={src} alt="What this conversation is about" className={uploading ? styles.uploading : ''} />
      {uploading && <figcaption data-testid="uploading">Uploading…</figcaption>}
    </figure>
  );
}
