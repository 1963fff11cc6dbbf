/** Bounds on a question before it reaches the text encoder. */
export interface TextLimits {
  /** Longest accepted question, in Unicode code points. */
  maxQuestionChars: number;
  /** Most tokens a question may encode to, [CLS] and [SEP] included; longer is an error, never a silent truncation. */
  maxQuestionTokens: number;
}

/** Defaults: 500 characters, 64 tokens (original BLIP truncated questions at 35). */
export const DEFAULT_TEXT_LIMITS: Readonly<TextLimits> = Object.freeze({
  maxQuestionChars: 500,
  maxQuestionTokens: 64,
});
