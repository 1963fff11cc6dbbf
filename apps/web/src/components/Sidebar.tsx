'use client';
// The conversation list: newest first, survives reloads (the API keeps it), with new and delete.
import type { ConversationSummary } from '../lib/apiTypes.js';
import styles from './Sidebar.module.css';

interface SidebarProps {
  open: boolean;
  /** null while loading; 'unavailable' when the server could not be asked. */
  conversations: ConversationSummary[] | 'unavailable' | null;
  currentId: string | null;
  onOpen: (id: string) => void;
  onDelete: (id: string) => void;
  onNew: () => void;
}

/** A conversation's label: its title, else its caption, else when it started. */
export function conversationLabel(c: ConversationSummary): string {
  const caption = c.turns.find((t) => t.kind === 'CAPTION' && t.answer)?.answer;
  return c.title ?? caption ?? `Image of ${new Date(c.updatedAt).toLocaleString()}`;
}

/** The side list; on a phone it slides in over the chat when `open`. */
export function Sidebar({ open, conversations, currentId, onOpen, onDelete, onNew }: SidebarProps) {
  return (
    <nav
      className={`${styles.sidebar} ${open ? styles.open : ''}`}
      aria-label="Conversations"
      id="conversation-list"
    >
      <button type="button" className={styles.newButton} onClick={onNew} data-testid="new-conversation">
        + New conversation
      </button>
      {conversations === null ? (
        <p className={styles.muted}>Loading…</p>
      ) : conversations === 'unavailable' ? (
        <p className={styles.muted} data-testid="conversations-unavailable">
          Conversations cannot be loaded right now.
        </p>
      ) : conversations.length === 0 ? (
        <p className={styles.muted} data-testid="conversations-empty">
          No conversations yet.
        </p>
      ) : (
        <ul className={styles.list} data-testid="conversation-list">
          {conversations.map((c) => (
            <li
              key={c.id}
              className={c.id === currentId ? styles.current : ''}
              data-testid="conversation-item"
            >
              <button
                type="button"
                className={styles.item}
                onClick={() => onOpen(c.id)}
                aria-current={c.id === currentId ? 'page' : undefined}
                data-testid="conversation-open"
              >
                {/* biome-ignore lint/performance/noImgElement: served by the API through this origin */}
                <img src={c.image.url} alt="" width={36} height={36} />
                <span className={styles.label}>{conversationLabel(c)}</span>
              </button>
              <button
                type="button"
                className={styles.delete}
                onClick={() => onDelete(c.id)}
                aria-label={`Delete “${conversationLabel(c)}”`}
                data-testid="delete-conversation"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
