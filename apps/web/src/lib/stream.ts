// Runs one caption or answer subscription and reports its events as plain callbacks; the returned function stops it.
// Stopping unsubscribes, which aborts the server-sent event request, which cancels the generation on the server.
import type { Client, DocumentInput } from '@urql/core';
import type { ApiTurn, ConversationSummary, StreamEvent } from './apiTypes.js';
import { type FriendlyError, fromCombinedError } from './errors.js';

/** What a stream tells its owner. */
export interface StreamHandlers {
  started(conversation: Omit<ConversationSummary, 'turns'>, turnId: string): void;
  token(delta: string): void;
  completed(turn: ApiTurn): void;
  failed(error: FriendlyError): void;
}

/** Subscribes to `query` (captionStream or answerStream) and routes each event; call the result to stop. */
export function runStream(
  client: Client,
  query: DocumentInput,
  variables: Record<string, unknown>,
  field: 'captionStream' | 'answerStream',
  on: StreamHandlers,
): () => void {
  let finished = false;
  const { unsubscribe } = client
    .subscription<Record<string, StreamEvent>>(query, variables)
    .subscribe((result) => {
      if (finished) return;
      if (result.error) {
        finished = true;
        on.failed(fromCombinedError(result.error));
        return;
      }
      const event = result.data?.[field];
      if (!event) return;
      if (event.__typename === 'StreamStarted') on.started(event.conversation, event.turn.id);
      else if (event.__typename === 'StreamToken') on.token(event.delta);
      else {
        finished = true;
        on.completed(event.turn);
      }
    });
  return () => {
    finished = true;
    unsubscribe();
  };
}
