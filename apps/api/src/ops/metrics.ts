// Prometheus metrics: one registry per server (tests run several servers in one process).
import type { Engine, EngineStats, GenerationResult } from '@blip/engine';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Every metric the API exports, on its own registry. */
export class Metrics {
  readonly registry = new Registry();
  readonly operations = new Counter({
    name: 'blip_graphql_operations_total',
    help: 'GraphQL operations executed, by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'blip_http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  // No label for "these bytes were already stored": across owners that would tell who uploaded what.
  readonly imageUploads = new Counter({
    name: 'blip_image_uploads_total',
    help: 'Accepted image uploads',
    registers: [this.registry],
  });
  readonly uploadVectors = new Counter({
    name: 'blip_upload_vectors_total',
    help: 'Image feature vectors at upload, by outcome (stored; busy: no free slot, left to the first search; failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly turns = new Counter({
    name: 'blip_turns_total',
    help: 'Turns ended, by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [this.registry],
  });
  readonly overloaded = new Counter({
    name: 'blip_overloaded_total',
    help: 'Generations refused at once because the queue was full',
    registers: [this.registry],
  });
  readonly queueWait = this.histogram('blip_queue_wait_seconds', 'Time a generation waited for a slot');
  readonly firstToken = this.histogram(
    'blip_time_to_first_token_seconds',
    'From the call to the first token',
  );
  readonly stage = new Histogram({
    name: 'blip_stage_seconds',
    help: "Time per pipeline stage and model part (preprocess, vision_model, text_encoder, decoder_step, total; upload_vector: an upload's image feature vector, vision encoder included unless its embeddings were cached)",
    labelNames: ['model', 'stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly tokensPerSecond = new Histogram({
    name: 'blip_decode_tokens_per_second',
    help: 'Decoder throughput of one generation (steps after the first)',
    labelNames: ['model'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000],
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'blip_generated_tokens_total',
    help: 'Tokens generated',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  constructor(engine?: Engine) {
    collectDefaultMetrics({ register: this.registry });
    if (engine) this.watchEngine(engine);
  }

  private histogram(name: string, help: string): Histogram<'model'> {
    return new Histogram({
      name,
      help,
      labelNames: ['model'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Queue depth and engine counters, read from the engine at scrape time (one line for its one scheduler). */
  private watchEngine(engine: Engine): void {
    new Gauge({
      name: 'blip_queue_depth',
      help: 'Generations running or waiting (all models share one queue)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const q = engine.queueDepth();
        this.set({ state: 'running' }, q.running);
        this.set({ state: 'waiting' }, q.waiting);
      },
    });
    const engineCounter = (name: string, help: string, read: (s: EngineStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(engine.stats()));
        },
      });
    engineCounter(
      'blip_image_cache_hits',
      'Image-embedding cache hits (vision encoder skipped)',
      (s) => s.imageCacheHits,
    );
    engineCounter('blip_image_cache_misses', 'Image-embedding cache misses', (s) => s.imageCacheMisses);
    engineCounter('blip_vision_runs', 'Vision encoder runs', (s) => s.visionRuns);
    engineCounter('blip_decoder_steps', 'Decoder steps run', (s) => s.decoderSteps);
  }

  /** Records the timings of one finished generation. */
  observe(model: string, result: GenerationResult): void {
    const t = result.timings;
    this.queueWait.observe({ model }, t.queueMs / 1000);
    this.firstToken.observe({ model }, t.firstTokenMs / 1000);
    this.stage.observe({ model, stage: 'preprocess' }, t.preprocessMs / 1000);
    if (!result.imageCacheHit) this.stage.observe({ model, stage: 'vision_model' }, t.visionMs / 1000);
    if (t.textEncoderMs > 0) this.stage.observe({ model, stage: 'text_encoder' }, t.textEncoderMs / 1000);
    if (t.perTokenMs > 0) {
      this.stage.observe({ model, stage: 'decoder_step' }, t.perTokenMs / 1000);
      this.tokensPerSecond.observe({ model }, 1000 / t.perTokenMs);
    }
    this.stage.observe({ model, stage: 'total' }, t.totalMs / 1000);
    this.tokens.inc({ model }, result.tokenIds.length);
  }
}
