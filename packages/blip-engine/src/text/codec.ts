// The engine's view of src/text: a model folder's tokenizer bound to the manifest's ids and the text limits.
import type { Manifest } from '../model/manifest.js';
import { createDetokenizer, encodePrompt, encodeQuestion, loadTokenizer, type TextLimits } from './index.js';

/** Tokenizer services the pipeline needs (adapted from src/text). */
export interface TextCodec {
  /** Streaming detokeniser: push ids, get text deltas; flush at the end. */
  detokenizer(): { push(id: number): string; flush(): string };
  /** Ids → text, special and unknown ids skipped. */
  decode(ids: readonly number[]): string;
}

/** Question and prompt encoding (validated with the limits) plus the codec the generation loop streams with. */
export interface TextServices {
  codec: TextCodec;
  /** [CLS] … [SEP] ids; INVALID_QUESTION for empty or too long questions. */
  encodeQuestion(text: string): number[];
  /** Decoder start + prompt ids (HF: [CLS] replaced, [SEP] dropped). */
  encodePrompt(text: string): number[];
}

/** Loads the folder's tokenizer offline. */
export async function loadTextCodec(
  folder: string,
  manifest: Manifest,
  limits: TextLimits,
): Promise<TextServices> {
  const tokenizer = await loadTokenizer(folder);
  return {
    codec: {
      // No delay: WordPiece text only grows at its end, so each token's text can be shown at once.
      detokenizer: () => createDetokenizer(tokenizer, { delayTokens: 0 }),
      decode: (ids) => tokenizer.decode(ids),
    },
    encodeQuestion: (text) => encodeQuestion(tokenizer, text, limits),
    encodePrompt: (text) => encodePrompt(tokenizer, text, manifest.tokens.decoder_start, limits),
  };
}
