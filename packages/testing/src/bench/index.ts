// Shared benchmark helpers: photo-sized images, BENCHMARKS.md sections, small statistics.

export {
  BENCH_MODEL,
  benchArgs,
  benchArgsLenient,
  benchModel,
  benchRun,
  countArg,
  loadNow,
  machineLine,
  repoPath,
  searchBenchArgs,
} from './args.js';
export { benchImage } from './images.js';
export { writeNamedSection } from './section.js';
export { median, ms, percentile } from './stats.js';
export {
  type Batching,
  type Level,
  levelImages,
  renderThroughput,
  THROUGHPUT_QUESTION,
  THROUGHPUT_TOKENS,
  throughputRatios,
  throughputRounds,
  throughputVariants,
  type Variant,
  type Workload,
} from './throughput.js';
