// Runs one caption or answer subscription and reports its events as plain callbacks; the returned function stops it.
// Stopping unsubscribes, which aborts the server-sent event request, which cancels the generation on the server.
import type { Client, OperationResult } from '@urql/core';
import { onEnd, pipe, type Source, subscribe } from 'wonka';
import type { CaptionStreamSubscription } from '../gql/graphql.js';
import type { ApiTurn } from './api.js';
import { type FriendlyError, fromCombinedError } from './errors.js';
import { ANSWER_STREAM, CAPTION_STREAM } from './operations.js';
import type { TurnProgress } from './turns.js';

/** With no event from the server for this long after asking, the turn says the server is not responding, ms. */
export const STALLED_AFTER_MS = 3000;

type StreamEvent = CaptionStreamSubscription['captionStream'];

/** What a stream tells its owner. */
export interface StreamHandlers {
  started(conversation: { id: string; title: string | null }, turnId: string): void;
  progress(progress: TurnProgress): void;
  token(delta: string): void;
  completed(turn: ApiTurn): void;
  failed(error: FriendlyError): void;
}

/** What to generate: a caption (question null) or an answer. */
export interface StreamRequest {
  imageId: string;
  conversationId: string | null;
  question: string | null;
  options: Record<string, unknown>;
  /** The server id of the turn this is a new version of (regenerate, edited question); the API stores the link. */
  replaces?: string | null;
}

/** Subscribes to captionStream or answerStream and routes each event; call the result to stop. */
export function runStream(client: Client, request: StreamRequest, on: StreamHandlers): () => void {
  let finished = false;
  const { imageId, conversationId, question, options } = request;
  // A link needs the conversation it belongs to (the API refuses it otherwise).
  const replaces = conversationId ? (request.replaces ?? null) : null;
  const vars = { imageId, conversationId, options, replaces };
  const source: Source<OperationResult> =
    question === null
      ? client.subscription(CAPTION_STREAM, vars)
      : client.subscription(ANSWER_STREAM, { ...vars, question });
  // A hung server sends nothing at all: say so soon instead of showing a cursor that never moves.
  let stalled: ReturnType<typeof setTimeout> | undefined = setTimeout(
    () => on.progress({ stage: 'stalled' }),
    STALLED_AFTER_MS,
  );
  const heard = () => {
    clearTimeout(stalled);
    stalled = undefined;
  };
  const { unsubscribe } = pipe(
    source,
    // A stream that ends without its last event (a proxy or the server went away mid-answer) is a failure, not a
    // cursor blinking forever.
    onEnd(() => {
      if (finished) return;
      finished = true;
      heard();
      on.failed({ code: 'STREAM_ENDED', message: 'The answer stopped before it was finished. Try again.' });
    }),
    subscribe((result) => {
      if (finished) return;
      heard();
      if (result.error) {
        finished = true;
        on.failed(fromCombinedError(result.error));
        return;
      }
      const data = result.data as Record<string, StreamEvent> | undefined;
      const event = data?.captionStream ?? data?.answerStream;
      if (!event) return;
      if (route(event, on)) finished = true;
    }),
  );
  return () => {
    finished = true;
    heard();
    unsubscribe();
  };
}

/** Calls the handler for one event; true when it was the last. */
function route(event: StreamEvent, on: StreamHandlers): boolean {
  switch (event.__typename) {
    case 'StreamStarted':
      on.started(event.conversation, event.turn.id);
      return false;
    case 'StreamQueued':
      on.progress({ stage: 'queued', position: event.position });
      return false;
    case 'StreamImage':
      on.progress({ stage: 'image', cached: event.source === 'CACHE' });
      return false;
    case 'StreamAnswering':
      on.progress({ stage: 'answering' });
      return false;
    case 'StreamToken':
      on.token(event.delta);
      return false;
    case 'StreamCompleted':
      on.completed(event.turn);
      return true;
    default:
      // An event type this build does not know (the schema grew): ignored, as the schema asks.
      return false;
  }
}
