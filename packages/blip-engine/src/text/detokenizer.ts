import type { BlipTokenizer } from './tokenizer.js';

/** Turns generated ids into text deltas as they arrive. */
export interface Detokenizer {
  /** Adds one generated id; returns the text that is now certain ('' while it may still change). */
  push(id: number): string;
  /** Returns the rest of the text at the end of generation. All deltas + flush() == tokenizer.decode(all ids). */
  flush(): string;
}

export interface DetokenizerOptions {
  /** The newest tokens whose text is held back because a later token could still change it (default 1). */
  delayTokens?: number;
}

const REPLACEMENT_CHARACTER = '\uFFFD';

/** Length of the longest common prefix of two strings, never splitting a surrogate pair. */
function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  const end = Math.min(a.length, b.length);
  while (n < end && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** Shortens a prefix so that it does not end in the first half of a surrogate pair. */
function wholeCharacters(text: string, length: number): number {
  const last = text.charCodeAt(length - 1);
  return length > 0 && last >= 0xd800 && last <= 0xdbff ? length - 1 : length;
}

/**
 * Where the text that no later token's clean-up can change ends: at the last space, which a rule such as " ." → "."
 * may delete; or at the one before it when an apostrophe follows, since " n ' t" → " n't" → "n't" deletes both.
 */
function cleanUpSafeEnd(text: string): number {
  const last = text.lastIndexOf(' ');
  const cut = last > 0 && text[last + 1] === "'" ? text.lastIndexOf(' ', last - 1) : last;
  return Math.max(0, cut);
}

/**
 * A streaming detokeniser in the manner of openvino.genai's TextStreamer: re-decode the ids, emit only the prefix
 * that later tokens cannot change. Held back: the last `delayTokens` tokens' text; everything while the text ends
 * in U+FFFD (half a character); and, when the tokenizer cleans up spaces (" ." → "."), the text a later token
 * could still change (cleanUpSafeEnd). Special tokens and ids the tokenizer does not know are skipped.
 */
export function createDetokenizer(tokenizer: BlipTokenizer, options: DetokenizerOptions = {}): Detokenizer {
  const delay = options.delayTokens ?? 1;
  if (!Number.isInteger(delay) || delay < 0)
    throw new RangeError(`delayTokens must be an integer >= 0, got ${delay}`);
  const ids: number[] = [];
  let emitted = '';

  const stableText = (): string => {
    const full = tokenizer.decode(ids);
    if (full.endsWith(REPLACEMENT_CHARACTER)) return emitted;
    let settled = delay === 0 ? full : tokenizer.decode(ids.slice(0, Math.max(0, ids.length - delay)));
    if (tokenizer.cleanUpSpaces) settled = settled.slice(0, cleanUpSafeEnd(settled));
    return settled.slice(0, wholeCharacters(settled, commonPrefixLength(settled, full)));
  };

  const emit = (text: string): string => {
    if (text.length <= emitted.length || !text.startsWith(emitted)) return '';
    const delta = text.slice(emitted.length);
    emitted = text;
    return delta;
  };

  return {
    push(id) {
      ids.push(id);
      return emit(stableText());
    },
    flush() {
      return emit(tokenizer.decode(ids));
    },
  };
}
