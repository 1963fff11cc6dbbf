// @blip/engine: BLIP captioning and visual question answering on OpenVINO. The public surface: the Engine
// contract and its loader, the option table, the error type and the plain-data types. The stand-in engine for
// tests is '@blip/engine/testing'.

export type {
  CallContext,
  EmbedImageRequest,
  EmbedTextRequest,
  Engine,
  EngineLimits,
  EngineLogger,
  FeatureVector,
  GenerationRequest,
  ImageInfo,
  ImageRef,
  MatchRequest,
  MatchResult,
  Reservation,
} from './engine/engine.js';
export {
  DEFAULT_LOAD_OPTIONS,
  INFERENCE_PRECISIONS,
  type InferencePrecision,
  type LoadOptions,
} from './engine/load-options.js';
export { DEFAULT_MAX_GENERATIONS_PER_CALL, type EngineOptions, loadEngine } from './engine/local-engine.js';
export { BlipError } from './errors.js';
export { GENERATION_OPTIONS, type OptionName, type OptionSpec, ruleText } from './generate/option-table.js';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './image/decode-gate.js';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './image/index.js';
export { cosine } from './image-text/features.js';
export { CONTRASTIVE_TEMPERATURE, rerankScore, type Scored, topBySimilarity } from './image-text/rank.js';
export { DEFAULT_TEXT_LIMITS, type TextLimits } from './text/index.js';
export type * from './types.js';
