'use client';
// The conversation list: newest first with dates, a page at a time, "+ New conversation" always in reach at the top,
// and delete that leaves an "Undo" row in place (the rows below do not move under the pointer).
import { type ReactNode, useEffect, useRef } from 'react';
import type { ConversationSummary } from '../lib/api.js';
import { shortDate } from '../lib/dates.js';
import styles from './Sidebar.module.css';
import type { useConversations } from './useConversations.js';

interface SidebarProps {
  open: boolean;
  list: ReturnType<typeof useConversations>;
  currentId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
  /** The picture search (issue 20), above the conversation search. */
  imageSearch?: ReactNode;
}

/** A conversation's label: its title, else its caption, else when it started. */
export function conversationLabel(c: ConversationSummary): string {
  const caption = c.turns.find((t) => t.kind === 'CAPTION' && t.answer)?.answer;
  return c.title ?? caption ?? `Image of ${new Date(c.createdAt).toLocaleString()}`;
}

/** The side list; on a phone it slides in over the chat when `open`. */
export function Sidebar({ open, list, currentId, onOpen, onNew, imageSearch }: SidebarProps) {
  const { page } = list;
  return (
    <nav
      className={`${styles.sidebar} ${open ? styles.open : ''}`}
      aria-label="Conversations"
      id="conversation-list"
    >
      <div className={styles.top}>
        <button type="button" className={styles.newButton} onClick={onNew} data-testid="new-conversation">
          + New conversation
        </button>
        {imageSearch}
        <input
          type="search"
          className={styles.search}
          placeholder="Search conversations"
          aria-label="Search conversations (titles, questions and answers)"
          value={list.search}
          onChange={(e) => list.setSearch(e.target.value)}
          data-testid="search-conversations"
        />
      </div>
      <div className={styles.scroller}>
        {page === null ? (
          <p className={styles.muted}>Loading…</p>
        ) : page === 'unavailable' ? (
          <p className={styles.muted} data-testid="conversations-unavailable">
            Conversations cannot be loaded right now.
          </p>
        ) : page.items.length === 0 ? (
          <p className={styles.muted} data-testid="conversations-empty">
            {list.search.trim()
              ? `No conversation matches “${list.search.trim()}”.`
              : 'No conversations yet.'}
          </p>
        ) : (
          <ul className={styles.list} data-testid="conversation-list">
            {page.items.map((c) =>
              list.deleting.has(c.id) ? (
                <DeletedRow key={c.id} label={conversationLabel(c)} onUndo={() => list.undo(c.id)} />
              ) : (
                <Row
                  key={c.id}
                  conversation={c}
                  current={c.id === currentId}
                  onOpen={() => onOpen(c.id)}
                  onDelete={() => list.remove(c.id)}
                />
              ),
            )}
          </ul>
        )}
        {page !== null && page !== 'unavailable' && page.hasMore && <LoadMore onMore={list.loadMore} />}
      </div>
    </nav>
  );
}

function Row(props: {
  conversation: ConversationSummary;
  current: boolean;
  onOpen(): void;
  onDelete(): void;
}) {
  const c = props.conversation;
  const label = conversationLabel(c);
  return (
    <li className={props.current ? styles.current : ''} data-testid="conversation-item">
      <button
        type="button"
        className={styles.item}
        onClick={props.onOpen}
        aria-current={props.current ? 'page' : undefined}
        data-testid="conversation-open"
      >
        {/* biome-ignore lint/performance/noImgElement: served by the API through this origin */}
        <img src={c.image.url} alt="" width={36} height={36} />
        <span className={styles.text}>
          <span className={styles.label} data-testid="conversation-label">
            {label}
          </span>
          <time className={styles.date} dateTime={c.updatedAt} data-testid="conversation-date">
            {shortDate(c.updatedAt)}
          </time>
        </span>
      </button>
      <button
        type="button"
        className={styles.delete}
        onClick={props.onDelete}
        aria-label={`Delete “${label}”`}
        data-testid="delete-conversation"
      >
        ×
      </button>
    </li>
  );
}

/** Where a deleted conversation was: same height, focus on Undo so the keyboard can bring it straight back. */
function DeletedRow({ label, onUndo }: { label: string; onUndo(): void }) {
  const undo = useRef<HTMLButtonElement>(null);
  useEffect(() => undo.current?.focus(), []);
  return (
    <li className={styles.deleted} data-testid="conversation-deleted">
      <span className={styles.label}>Deleted “{label}”</span>
      <button ref={undo} type="button" className={styles.undo} onClick={onUndo} data-testid="undo-delete">
        Undo
      </button>
    </li>
  );
}

/** "Load more" at the end of the list; it also loads by itself when scrolled into view. */
function LoadMore({ onMore }: { onMore(): void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const el = button.current;
    if (!el) return;
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) onMore();
    });
    seen.observe(el);
    return () => seen.disconnect();
  }, [onMore]);
  return (
    <button ref={button} type="button" className={styles.more} onClick={onMore} data-testid="load-more">
      Load more
    </button>
  );
}
