// Generated ids → token events with text deltas, through the streaming detokeniser.

import type { TextCodec } from '../text/codec.js';
import type { StreamEvent } from '../types.js';

/** Feeds the decoding loop's final tokens to the stream and keeps what was streamed. */
export interface TokenEmitter {
  /** Tokens that became final; `last` on the call that ends generation. */
  onTokens(tokens: number[], last: boolean): void;
  /** Adds what the detokeniser still holds back to the text (not streamed: used after a cancellation). */
  flush(): void;
  /** Ids and text streamed so far (the text includes a caption prompt's). */
  streamed(): { ids: number[]; text: string };
}

/**
 * Streams generated tokens as text deltas; the caption prompt's text leads the first delta and the
 * detokeniser's held-back tail rides on the last event, so the deltas concatenate to the result's text.
 * The end token gets no event, unless the tail has nowhere else to go.
 */
export function tokenEmitter(
  text: TextCodec,
  eos: number,
  promptIds: readonly number[],
  emit: (e: StreamEvent) => void,
  onFirst: () => void,
): TokenEmitter {
  const detokenizer = text.detokenizer();
  let lead = promptIds.map((id) => detokenizer.push(id)).join('');
  let streamedText = '';
  const ids: number[] = [];
  const send = (tokenId: number, index: number, delta: string) => {
    onFirst();
    streamedText += delta;
    emit({ type: 'token', index, tokenId, delta });
  };
  const onTokens = (tokens: number[], last: boolean) => {
    tokens.forEach((tokenId, j) => {
      const closing = last && j === tokens.length - 1;
      if (tokenId === eos) {
        const tail = closing ? lead + detokenizer.flush() : '';
        lead = '';
        if (tail) send(tokenId, ids.length, tail);
        return;
      }
      const delta = lead + detokenizer.push(tokenId) + (closing ? detokenizer.flush() : '');
      lead = '';
      ids.push(tokenId);
      send(tokenId, ids.length - 1, delta);
    });
  };
  /** Whatever is still held back (after a cancellation), added to the text but not streamed. */
  const flush = () => {
    streamedText += lead + detokenizer.flush();
    lead = '';
  };
  return { onTokens, flush, streamed: () => ({ ids, text: streamedText }) };
}
