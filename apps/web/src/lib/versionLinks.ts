// Which stored turn is a new version of which (regenerate, edited question). The API stores every turn as its own;
// until it records the link, this browser keeps it per conversation so a reload shows the versions in place again.
// (Another browser sees the versions as separate turns.)

const PREFIX = 'blip.versions.';

function read(conversationId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + conversationId) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Remembers that turn `turnId` is a version of turn `replaces`. */
export function rememberVersion(conversationId: string, turnId: string, replaces: string): void {
  localStorage.setItem(
    PREFIX + conversationId,
    JSON.stringify({ ...read(conversationId), [turnId]: replaces }),
  );
}

/** turn id → the turn it replaces, for one conversation. */
export function versionLinks(conversationId: string): Record<string, string> {
  return read(conversationId);
}
