// The open conversation lives in the address (?c=…): opening one pushes a history entry, so Back returns to the
// previous conversation; a reload or a shared tab reopens it.

/** The conversation id in the current address, or null. */
export function conversationInUrl(): string | null {
  return new URLSearchParams(window.location.search).get('c');
}

function urlFor(id: string | null): URL {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set('c', id);
  else url.searchParams.delete('c');
  return url;
}

/** A new history entry for `id` (null: the empty page), unless the address already shows it. */
export function pushConversation(id: string | null): void {
  if (conversationInUrl() === id) return;
  window.history.pushState(null, '', urlFor(id));
}

/** The same entry now names `id`: a new conversation got its id from the server. */
export function replaceConversation(id: string | null): void {
  window.history.replaceState(null, '', urlFor(id));
}
