// Which stored turn is a new version of which, as this browser kept it before the API recorded the link itself
// (Turn.replaces). Only read now, as the fallback for turns asked before then; new links are the API's.

const PREFIX = 'blip.versions.';

function read(conversationId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + conversationId) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** turn id → the turn it replaces, for one conversation. */
export function versionLinks(conversationId: string): Record<string, string> {
  return read(conversationId);
}
