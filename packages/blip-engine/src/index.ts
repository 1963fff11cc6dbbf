// @blip/engine: BLIP captioning and visual question answering on OpenVINO. The public surface.

export { LruCache } from './embeddings/lru-cache.js';
export { type AnswerOptions, Blip, type CaptionOptions } from './engine/blip.js';
export { DEFAULT_LOAD_OPTIONS, type LoadOptions } from './engine/load-options.js';
export { BlipError } from './errors.js';
export type { GenerationLimits } from './generate/options.js';
export { DEFAULT_GENERATION_LIMITS } from './generate/options.js';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits, type PreparedImage } from './image/index.js';
export * as openvino from './openvino/index.js';
export { DEFAULT_TEXT_LIMITS, type TextLimits } from './text/index.js';
export type * from './types.js';
