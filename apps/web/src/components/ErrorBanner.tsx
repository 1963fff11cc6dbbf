// A friendly message at the top of the chat when something went wrong outside one answer. When the server cannot be
// reached the app keeps trying by itself; the banner says so and offers to try now.
import type { FriendlyError } from '../lib/errors.js';
import styles from './ChatApp.module.css';

interface ErrorBannerProps {
  error: FriendlyError | null;
  /** True while the server is unreachable and being asked again. */
  offline: boolean;
  onDismiss: () => void;
  onRetry: () => void;
}

/** role=alert so screen readers announce it; "Retry now" while reconnecting. */
export function ErrorBanner({ error, offline, onDismiss, onRetry }: ErrorBannerProps) {
  if (!error && !offline) return null;
  const message = error?.message ?? 'Cannot reach the answer server.';
  return (
    <div
      className={styles.banner}
      role="alert"
      data-testid="error-banner"
      data-code={error?.code ?? 'API_UNREACHABLE'}
      data-offline={offline}
    >
      <span>
        {message}
        {offline && <span data-testid="reconnecting"> Reconnecting by itself…</span>}
      </span>
      <span className={styles.bannerActions}>
        {(offline || error?.code === 'OVERLOADED') && (
          <button type="button" className={styles.textButton} onClick={onRetry} data-testid="error-retry">
            Retry now
          </button>
        )}
        {!offline && (
          <button type="button" className={styles.textButton} onClick={onDismiss} data-testid="error-dismiss">
            Dismiss
          </button>
        )}
      </span>
    </div>
  );
}
