// How a stand-in generation produces its tokens: from the script (one word per token, yielding to the event
// loop between tokens as a decoder step would, so an abort lands between tokens), or from the test's hold.
import type { GenerationRequest } from '../src/engine/engine.js';
import type { DecodingPlan } from '../src/generate/options.js';
import type { FinishReason, StreamEvent } from '../src/types.js';
import type { Hold } from './held.js';

export interface WordsOutcome {
  words: string[];
  tokenIds: number[];
  finishReason: FinishReason;
  confidence?: number | undefined;
}

interface Produce {
  hold: Hold | undefined;
  request: GenerationRequest;
  plan: DecodingPlan;
  signal: AbortSignal;
  emit: (event: StreamEvent) => void;
  reply: string;
}

/** Token ids are stable per word: a small hash, so the same text always has the same ids. */
export function wordId(word: string): number {
  let hash = 7;
  for (const char of word) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 30_000;
  return 1000 + hash;
}

/** Streams words as token events until the script ends, the hold is released, or the signal aborts. */
export async function produceWords(p: Produce): Promise<WordsOutcome> {
  const out: WordsOutcome = { words: [], tokenIds: [], finishReason: 'eos' };
  const send = (word: string) => {
    const tokenId = wordId(word);
    p.emit({
      type: 'token',
      index: out.words.length,
      tokenId,
      delta: out.words.length === 0 ? word : ` ${word}`,
    });
    out.words.push(word);
    out.tokenIds.push(tokenId);
  };
  if (p.hold) return fromHold(p.hold, p.signal, send, out);
  for (const word of p.reply.split(/\s+/).filter(Boolean)) {
    if (p.signal.aborted) return { ...out, finishReason: 'cancelled' };
    if (out.words.length >= p.plan.maxNewTokens) return { ...out, finishReason: 'length' };
    send(word);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return p.signal.aborted ? { ...out, finishReason: 'cancelled' } : out;
}

async function fromHold(
  hold: Hold,
  signal: AbortSignal,
  send: (word: string) => void,
  out: WordsOutcome,
): Promise<WordsOutcome> {
  for (;;) {
    const command = await hold.next(signal);
    if (command === null) return { ...out, finishReason: 'cancelled' };
    if (command.kind === 'fail') throw command.error;
    if (command.kind === 'release')
      return { ...out, finishReason: command.finishReason, confidence: command.confidence };
    for (const word of command.words) send(word);
  }
}
