'use client';
// The tab says which conversation is open: its title, else its caption.
import { useEffect } from 'react';
import type { ChatState } from '../lib/chatState.js';

/** The app's name, alone on the empty page and after each conversation's name. */
export const APP_TITLE = 'BLIP chat';

/** Sets document.title from the open conversation; returns the conversation's name (null on the empty page). */
export function usePageTitle(state: ChatState): string | null {
  const caption = state.turns.find((t) => t.kind === 'CAPTION' && t.status === 'COMPLETED')?.text;
  const name = state.title ?? caption ?? (state.image ? 'New conversation' : null);
  useEffect(() => {
    document.title = name ? `${name} — ${APP_TITLE}` : APP_TITLE;
  }, [name]);
  return name;
}
