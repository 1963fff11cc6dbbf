// Turns the server never recorded (the API was down, or refused the call before starting a turn) are kept in the
// browser, per conversation, so a reload still shows the question and why it failed, with a way to ask it again.
import type { FriendlyError } from './errors.js';
import { startTurn, type TurnView } from './turns.js';

const PREFIX = 'blip.unsent.';

interface Stored {
  key: string;
  kind: TurnView['kind'];
  question: string | null;
  replaces: string | null;
  error: FriendlyError;
}

function read(conversationId: string): Stored[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + conversationId) ?? '[]');
    return Array.isArray(parsed) ? (parsed as Stored[]) : [];
  } catch {
    return [];
  }
}

function write(conversationId: string, list: Stored[]): void {
  if (list.length === 0) localStorage.removeItem(PREFIX + conversationId);
  else localStorage.setItem(PREFIX + conversationId, JSON.stringify(list));
}

/** Remembers a failed turn that has no server id. */
export function keepUnsent(conversationId: string, turn: TurnView): void {
  if (!turn.error) return;
  const entry: Stored = {
    key: turn.key,
    kind: turn.kind,
    question: turn.question,
    replaces: turn.replaces,
    error: turn.error,
  };
  write(conversationId, [...read(conversationId).filter((t) => t.key !== turn.key), entry]);
}

/** Forgets one (it was asked again, or dismissed). */
export function forgetUnsent(conversationId: string, key: string): void {
  write(
    conversationId,
    read(conversationId).filter((t) => t.key !== key),
  );
}

/** The conversation's unsent turns as FAILED views. */
export function unsentTurns(conversationId: string): TurnView[] {
  return read(conversationId).map((s) => ({
    ...startTurn(s.key, s.kind, s.question, s.replaces),
    status: 'FAILED',
    progress: null,
    error: s.error,
    unsent: true,
  }));
}
