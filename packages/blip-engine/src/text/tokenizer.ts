import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { BlipError } from '../errors.js';

/** The files @huggingface/transformers needs to build a tokenizer with no network. */
const REQUIRED_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

/** A model folder's tokenizer with the decode settings transformers 5.23 uses for it. */
export interface BlipTokenizer {
  /** The underlying @huggingface/transformers tokenizer. */
  readonly hf: PreTrainedTokenizer;
  /** Entries in the tokenizer's vocabulary; the model's may be larger ([DEC], [ENC] are not in the files). */
  readonly vocabSize: number;
  /** Whether decode applies BERT's " ." → "." clean-up (tokenizer_config's flag; transformers 5 defaults it to false). */
  readonly cleanUpSpaces: boolean;
  /** Token ids with the tokenizer's special tokens ([CLS] … [SEP]) added, as Hugging Face's processor makes them. */
  encode(text: string): number[];
  /** Text of the ids with special tokens and ids unknown to the tokenizer skipped, as `decode(ids, skip_special_tokens=True)`. */
  decode(ids: readonly number[]): string;
}

/** Makes @huggingface/transformers purely local: no hub, no cache directory, absolute paths resolved from the root. */
function forbidNetwork(): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useFSCache = false;
  env.useBrowserCache = false;
  env.localModelPath = '/';
}

/** Loads the tokenizer of a model folder fully offline; a missing or unreadable tokenizer is MODEL_INVALID. */
export async function loadTokenizer(folder: string): Promise<BlipTokenizer> {
  const dir = resolve(folder);
  for (const file of REQUIRED_FILES) {
    await access(join(dir, file)).catch((cause: unknown) => {
      throw new BlipError('MODEL_INVALID', `model folder ${dir} has no ${file}`, { cause });
    });
  }
  forbidNetwork();
  let hf: PreTrainedTokenizer;
  try {
    hf = await AutoTokenizer.from_pretrained(dir, { local_files_only: true });
  } catch (cause) {
    throw new BlipError('MODEL_INVALID', `cannot load the tokenizer in ${dir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return wrapTokenizer(hf);
}

/** Wraps a loaded tokenizer with Hugging Face's decode settings and a guard against ids outside the vocabulary. */
export function wrapTokenizer(
  hf: PreTrainedTokenizer,
  overrides: { cleanUpSpaces?: boolean } = {},
): BlipTokenizer {
  const vocabSize = hf.get_vocab().size;
  const config = (hf as unknown as { _tokenizerConfig?: Record<string, unknown> })._tokenizerConfig;
  const cleanUpSpaces = overrides.cleanUpSpaces ?? config?.clean_up_tokenization_spaces === true;
  return {
    hf,
    vocabSize,
    cleanUpSpaces,
    encode: (text) => hf.encode(text, { add_special_tokens: true }),
    decode(ids) {
      // Ids the tokenizer does not know ([DEC], [ENC], garbage) are dropped, as the Rust tokenizer drops them.
      const known = ids.filter((id) => Number.isInteger(id) && id >= 0 && id < vocabSize);
      if (known.length === 0) return ''; // transformers.js refuses an empty list
      return hf.decode(known, { skip_special_tokens: true, clean_up_tokenization_spaces: cleanUpSpaces });
    },
  };
}
