export { decodeToRgb, type RgbImage } from './decode.js';
export { type ImageHeader, readHeader } from './header.js';
export { DEFAULT_IMAGE_LIMITS, type ImageLimits } from './limits.js';
export { toNormalizedChw } from './normalize.js';
export { type PreparedImage, prepareImage } from './prepare.js';
export { type ResampleFilter, resampleRgb } from './resample.js';
export { ACCEPTED_FORMATS, type ImageFormat, sniffFormat } from './sniff.js';
export { type ImageSpec, parseImageSpec } from './spec.js';
export { cmykToRgb, compositeOnWhite } from './to-rgb.js';
