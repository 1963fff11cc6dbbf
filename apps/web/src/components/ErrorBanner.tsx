// A friendly message at the top of the chat when something went wrong outside one answer.
import type { FriendlyError } from '../lib/errors.js';
import styles from './ChatApp.module.css';

interface ErrorBannerProps {
  error: FriendlyError | null;
  onDismiss: () => void;
  onRetry: () => void;
}

/** role=alert so screen readers announce it; a retry for the server-unreachable case. */
export function ErrorBanner({ error, onDismiss, onRetry }: ErrorBannerProps) {
  if (!error) return null;
  const canRetry =
    error.code === 'API_UNREACHABLE' || error.code === 'NETWORK' || error.code === 'OVERLOADED';
  return (
    <div className={styles.banner} role="alert" data-testid="error-banner" data-code={error.code}>
      <span>{error.message}</span>
      <span className={styles.bannerActions}>
        {canRetry && (
          <button type="button" className={styles.textButton} onClick={onRetry} data-testid="error-retry">
            Retry
          </button>
        )}
        <button type="button" className={styles.textButton} onClick={onDismiss} data-testid="error-dismiss">
          Dismiss
        </button>
      </span>
    </div>
  );
}
