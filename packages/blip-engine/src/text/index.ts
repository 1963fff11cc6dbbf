export { createDetokenizer, type Detokenizer, type DetokenizerOptions } from './detokenizer.js';
export { DEFAULT_TEXT_LIMITS, type TextLimits } from './limits.js';
export { encodePrompt } from './prompt.js';
export { encodeQuestion } from './question.js';
export { type BlipTokenizer, loadTokenizer, wrapTokenizer } from './tokenizer.js';
