// Shared benchmark helpers: photo-sized images, BENCHMARKS.md sections, small statistics.
export { benchImage } from './images.js';
export { writeNamedSection } from './section.js';
export { median, ms, percentile } from './stats.js';
