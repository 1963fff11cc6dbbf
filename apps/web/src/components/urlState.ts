// The open conversation's id lives in the address (?c=…), so a reload or a shared tab reopens it.

/** The conversation id in the current address, or null. */
export function conversationInUrl(): string | null {
  return new URLSearchParams(window.location.search).get('c');
}

/** Puts `id` in the address without a navigation (null removes it). */
export function setConversationInUrl(id: string | null): void {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set('c', id);
  else url.searchParams.delete('c');
  window.history.replaceState(null, '', url);
}
