// Every limit and knob of the API: one named setting each, read from the environment, parsed by a zod schema
// that rejects typos ("ture", "12k", "-3") with the variable's name. README's configuration table lists them
// (`npx tsx apps/api/src/config.ts --markdown` prints it; config.test.ts checks the README against SETTINGS).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LOG_LEVELS } from './log.js';

/** The repository root (apps/api/src/config.ts is three levels down). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const MiB = 1024 * 1024;

/** An integer in [min, max], written as plain digits. */
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number written in digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
/** true/false (also 1/0, yes/no, on/off); anything else is an error, not false. */
const bool = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const list = z.string().transform((raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const origins = list.pipe(
  z.array(z.url().refine((u) => new URL(u).origin === u, 'expected an origin like http://host:3000')),
);
const folders = list.pipe(z.array(z.string()).min(1)).transform((l) => l.map((f) => resolve(REPO_ROOT, f)));
const text = (pattern = /^.+$/) => z.string().regex(pattern, `expected text matching ${pattern}`);

/**
 * The bundled demo model if the toolchain has made it, else the tiny test model. With its INT8 build beside it,
 * made from the same weights (the manifests' `source` agree), the INT8 build is the default model and the FP16
 * one the second: on the held-out sets the INT8 answers measured within 0.5 point of FP16 (BENCHMARKS.md,
 * issue 18). An INT8 build left from older weights stays second.
 */
function defaultModels(): string {
  const manifest = (folder: string) => resolve(REPO_ROOT, folder, 'manifest.json');
  const exists = (folder: string) => existsSync(manifest(folder));
  const source = (folder: string): unknown => JSON.parse(readFileSync(manifest(folder), 'utf8')).source;
  if (!exists('models/shapes-demo')) return 'models/tiny-vqa';
  if (!exists('models/shapes-demo-int8')) return 'models/shapes-demo';
  return source('models/shapes-demo-int8') === source('models/shapes-demo')
    ? 'models/shapes-demo-int8,models/shapes-demo'
    : 'models/shapes-demo,models/shapes-demo-int8';
}

const production = (env: NodeJS.ProcessEnv) => env.NODE_ENV === 'production';

interface Setting<S extends z.ZodType<unknown, string>> {
  env: string;
  /** Default as text, exactly as it would be written in the environment. */
  fallback: (env: NodeJS.ProcessEnv) => string;
  /** How the README shows the default, when it depends on the machine or on NODE_ENV. */
  shown?: string;
  schema: S;
  doc: string;
}
const set = <S extends z.ZodType<unknown, string>>(
  env: string,
  fallback: string | ((env: NodeJS.ProcessEnv) => string),
  schema: S,
  doc: string,
  shown?: string,
): Setting<S> => ({
  env,
  fallback: typeof fallback === 'string' ? () => fallback : fallback,
  schema,
  doc,
  ...(shown ? { shown } : {}),
});

/** Every setting, in the order the README lists them. */
export const SETTINGS = {
  port: set(
    'PORT',
    '4000',
    int(0, 65535),
    'HTTP port (0 = any free port; the `listening` log line gives it)',
  ),
  host: set('HOST', '127.0.0.1', text(), 'Interface to listen on'),
  dataDir: set(
    'DATA_DIR',
    'var',
    text().transform((raw) => resolve(REPO_ROOT, raw)),
    'Where the SQLite database and the content-addressed image store live',
  ),
  databaseUrl: set(
    'DATABASE_URL',
    '',
    z.string().regex(/^(|postgres(ql)?:\/\/.*)$/, 'expected empty or a postgres:// or postgresql:// URL'),
    'PostgreSQL to keep images, conversations and turns in (what several replicas share), e.g. `postgresql://user:password@host/blip`; empty = SQLite in DATA_DIR. Migrations run at start either way',
  ),
  databasePoolSize: set(
    'DATABASE_POOL_SIZE',
    '10',
    int(1, 1000),
    'Most PostgreSQL connections one API process opens',
  ),
  redisUrl: set(
    'REDIS_URL',
    '',
    z
      .string()
      .regex(/^(|rediss?:\/\/.*|unix:\/\/\/.+)$/, 'expected empty, redis://, rediss:// or unix:///path'),
    'Redis that carries events between replicas (`redis://host:6379`, `unix:///path/redis.sock`): Stop on any replica reaches the one running the turn, and `turnStream` on any replica follows a turn running on another; empty = this process only',
  ),
  turnLeaseMs: set(
    'TURN_LEASE_MS',
    '15000',
    int(1000),
    'How long a replica holds a running turn without renewing it; a PENDING turn whose lease has expired (its replica died) is marked INTERRUPTED by any replica',
  ),
  turnLeaseRenewMs: set(
    'TURN_LEASE_RENEW_MS',
    '5000',
    int(100),
    "How often each replica renews its turns' leases and looks for expired ones (must be below TURN_LEASE_MS)",
  ),
  imageStore: set(
    'IMAGE_STORE',
    'files',
    z.enum(['files', 'database']),
    'Where uploaded image bytes live: `files` (DATA_DIR/images, one machine) or `database` (a table of the store: with DATABASE_URL every replica sees them)',
  ),
  models: set(
    'BLIP_MODELS',
    defaultModels,
    folders,
    'Comma-separated model folders to load; the first is the default model',
    '`models/shapes-demo-int8,models/shapes-demo` when the INT8 build was made from the same weights (else `models/shapes-demo`, plus the INT8 build second if made) if it exists, else `models/tiny-vqa`',
  ),
  webOrigins: set(
    'WEB_ORIGIN',
    'http://localhost:3000,http://127.0.0.1:3000',
    origins,
    'Comma-separated browser origins allowed by CORS and WebSocket upgrades (no other origin, and never `null`, is answered)',
  ),
  concurrency: set(
    'BLIP_CONCURRENCY',
    '4',
    int(1, 64),
    'Generations running at once; with BLIP_DECODER_BATCHING their decoder steps share one run, so 4 serve more answers/s than 1 at the same single-client latency (BENCHMARKS.md "Throughput through the API"); for a folder without batch inputs 1 is as fast on 2 cores',
  ),
  batching: set(
    'BLIP_DECODER_BATCHING',
    'true',
    bool,
    'Continuous batching: the decoder steps of generations running at once (BLIP_CONCURRENCY > 1) share one decoder run per token; false runs each alone. Folders exported before batching always run alone',
  ),
  maxQueue: set(
    'BLIP_MAX_QUEUE',
    '16',
    int(0, 10_000),
    'Generations waiting; past it calls fail at once with OVERLOADED',
  ),
  maxGenerationsPerCaller: set(
    'MAX_GENERATIONS_PER_CALLER',
    '1',
    int(1, 64),
    'Generations one operation may start (aliased caption/answer fields count each); an operation asking for more is refused with TOO_MANY_GENERATIONS before anything runs (passed to the engine as maxGenerationsPerCall)',
  ),
  imageCacheSize: set(
    'BLIP_IMAGE_CACHE_SIZE',
    '32',
    int(0, 100_000),
    'Image-embedding cache entries per model (follow-up questions skip the vision encoder)',
  ),
  preparedCacheSize: set(
    'PREPARED_IMAGE_CACHE_SIZE',
    '16',
    int(0, 10_000),
    'Decoded, resized images the engine keeps by content (about 1.7 MB each at 384 px)',
  ),
  maxConcurrentDecodes: set(
    'MAX_CONCURRENT_DECODES',
    '2',
    int(1, 64),
    'Images decoded at the same time (uploads and cache misses); the rest wait their turn',
  ),
  decodeMemoryBytes: set(
    'DECODE_MEMORY_BYTES',
    String(512 * MiB),
    int(MiB),
    'Estimated pixel memory all running decodes may hold together (12 bytes per pixel); one larger image decodes alone',
  ),
  inferencePrecision: set(
    'BLIP_INFERENCE_PRECISION',
    'auto',
    z.enum(['auto', 'f32', 'bf16']),
    "OpenVINO CPU inference precision: auto (OpenVINO's default for FP16/FP32 folders, bf16 on CPUs with it; f32 for INT8 folders), f32 (token-exact with Hugging Face) or bf16 (where the CPU lacks bf16, OpenVINO computes in f32, as the models query reports in inferencePrecision)",
  ),
  performanceHint: set(
    'BLIP_PERFORMANCE_HINT',
    'LATENCY',
    z.enum(['LATENCY', 'THROUGHPUT']),
    'OpenVINO performance hint: LATENCY (one answer fast) or THROUGHPUT (several at once); see BENCHMARKS.md "Under load"',
  ),
  numStreams: set(
    'BLIP_NUM_STREAMS',
    '0',
    int(0, 256),
    "OpenVINO CPU streams (parallel inferences) per model part; 0 = the hint's choice",
  ),
  numThreads: set(
    'BLIP_NUM_THREADS',
    '0',
    int(0, 1024),
    "OpenVINO CPU inference threads per model part; 0 = OpenVINO's choice (all cores)",
  ),
  serialInference: set(
    'BLIP_SERIAL_INFERENCE',
    'auto',
    z.enum(['auto', 'true', 'false']),
    'Inference runs take turns, one at a time per process: auto = yes with the LATENCY hint and at most one stream (each run already uses every core), no otherwise (BENCHMARKS.md "Issue 18, session 5")',
  ),
  dynamicQuantizationGroupSize: set(
    'BLIP_DYNAMIC_QUANTIZATION_GROUP_SIZE',
    'auto',
    z.union([z.literal('auto'), int(0, 1_000_000)]),
    "INT8 folders: OpenVINO's on-the-fly activation quantization group size; auto = the engine's choice (ARCHITECTURE.md, engine settings), 0 = off",
  ),
  maxUploadBytes: set('MAX_UPLOAD_BYTES', String(20 * MiB), int(1), 'Largest accepted image file, bytes'),
  maxBodyBytes: set(
    'MAX_BODY_BYTES',
    String(MiB),
    int(1024),
    'Largest request body that is not an upload (JSON, GET query string), bytes',
  ),
  maxPixels: set(
    'MAX_IMAGE_PIXELS',
    String(40_000_000),
    int(1),
    'Largest decoded image, pixels (decompression-bomb guard)',
  ),
  maxDimension: set('MAX_IMAGE_DIMENSION', '12000', int(1), 'Largest image width or height, pixels'),
  maxQuestionChars: set(
    'MAX_QUESTION_CHARS',
    '500',
    int(1, 100_000),
    'Longest accepted question, characters (Unicode code points)',
  ),
  maxQuestionTokens: set(
    'MAX_QUESTION_TOKENS',
    '64',
    int(3, 512),
    'Most tokens a question may encode to, [CLS] and [SEP] included',
  ),
  maxTitleChars: set('MAX_TITLE_CHARS', '200', int(1, 10_000), 'Longest conversation title, characters'),
  maxSearchChars: set(
    'MAX_SEARCH_CHARS',
    '200',
    int(1, 10_000),
    'Longest `conversations(search:)` text, characters',
  ),
  maxFilenameChars: set(
    'MAX_FILENAME_CHARS',
    '255',
    int(1, 10_000),
    'Upload file names are cut to this many characters (they are only shown back)',
  ),
  maxStringChars: set(
    'MAX_STRING_CHARS',
    '10000',
    int(1, 1_000_000),
    'Longest string anywhere in a GraphQL document or its variables (the per-field limits above are tighter)',
  ),
  maxQueryDepth: set(
    'MAX_QUERY_DEPTH',
    '10',
    int(1, 1000),
    'GraphQL selection depth limit (the deepest useful query is 6)',
  ),
  maxAliases: set('MAX_QUERY_ALIASES', '15', int(0, 10_000), 'GraphQL aliases per operation'),
  maxCost: set('MAX_QUERY_COST', '5000', int(1), 'GraphQL cost limit (graphql-armor)'),
  maxTokens: set('MAX_QUERY_TOKENS', '1000', int(1), 'GraphQL tokens per document'),
  maxDirectives: set('MAX_QUERY_DIRECTIVES', '50', int(0, 10_000), 'GraphQL directives per operation'),
  defaultPageSize: set(
    'DEFAULT_PAGE_SIZE',
    '20',
    int(1, 10_000),
    'Conversations or images per page when `first` is not given',
  ),
  maxPageSize: set('MAX_PAGE_SIZE', '100', int(1, 10_000), 'Largest accepted `first`'),
  searchDefaultResults: set(
    'SEARCH_DEFAULT_RESULTS',
    '12',
    int(1, 1_000),
    '`searchImages`: images returned when `first` is not given',
  ),
  searchMaxResults: set(
    'SEARCH_MAX_RESULTS',
    '50',
    int(1, 1_000),
    '`searchImages`: largest accepted `first`',
  ),
  searchMaxRerank: set(
    'SEARCH_MAX_RERANK',
    '20',
    int(0, 1_000),
    '`searchImages`: most top results the image-text matching head may re-rank (`rerank`; one engine run each)',
  ),
  searchVectorsAtUpload: set(
    'SEARCH_VECTORS_AT_UPLOAD',
    'true',
    bool,
    'Compute an upload’s image feature vector for `searchImages` before answering it, when the engine has a free slot then (never waiting in line); otherwise the first search computes it',
  ),
  introspection: set(
    'INTROSPECTION',
    (env) => String(!production(env)),
    bool,
    'Answer schema introspection; when off, errors never suggest field or value names',
    '`false` when NODE_ENV=production, else `true`',
  ),
  graphiql: set(
    'GRAPHIQL',
    (env) => String(!production(env)),
    bool,
    'Serve GraphiQL at /graphql (text/html)',
    '`false` when NODE_ENV=production, else `true`',
  ),
  ownerCookie: set(
    'OWNER_COOKIE',
    'blip_owner',
    text(/^[A-Za-z0-9_-]{1,64}$/),
    'Cookie carrying the anonymous per-browser owner key; the API sets it (a fresh key, or the key of the `x-owner-key` header), so `<img src>` requests are the same owner',
  ),
  secureCookie: set(
    'COOKIE_SECURE',
    (env) => String(production(env)),
    bool,
    'Mark the owner cookie `Secure` (browsers then send it over HTTPS only)',
    '`true` when NODE_ENV=production, else `false`',
  ),
  metricsToken: set(
    'METRICS_TOKEN',
    '',
    z.string(),
    '`/metrics` on the main port answers only `Authorization: Bearer <this>`; empty = not served there',
  ),
  metricsPort: set(
    'METRICS_PORT',
    '',
    z.union([z.literal('').transform(() => null), int(0, 65535)]),
    'Serve `/metrics` (no token) on this port of HOST as well; empty = no metrics port, 0 = any free port',
  ),
  retryAfterSeconds: set(
    'RETRY_AFTER_SECONDS',
    '1',
    int(1, 3600),
    '`Retry-After` on OVERLOADED (429) and SHUTTING_DOWN / NOT_READY (503) responses',
  ),
  headersTimeoutMs: set(
    'HEADERS_TIMEOUT_MS',
    '10000',
    int(1000),
    'A client must send all request headers within this time (slow-header guard)',
  ),
  requestTimeoutMs: set(
    'REQUEST_TIMEOUT_MS',
    '60000',
    int(1000),
    'A client must send the whole request (body included) within this time (slow-body guard); streams are not cut',
  ),
  logLevel: set(
    'LOG_LEVEL',
    'info',
    z.enum(LOG_LEVELS),
    'Structured log level (pino JSON lines on stdout): fatal, error, warn, info, debug, trace or silent; every line about a generation carries requestId and turnId',
  ),
  shutdownGraceMs: set(
    'SHUTDOWN_GRACE_MS',
    '5000',
    int(0),
    'On SIGTERM/SIGINT: how long in-flight requests may finish before they are cancelled',
  ),
};

type Settings = typeof SETTINGS;
/** The API's settings after parsing; `loadConfig` fills every field. */
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** A bad value as the error line may show it: secrets hidden, a URL's password masked (error lines reach logs). */
export function shownValue(env: string, raw: string | undefined): string {
  if (raw === undefined) return 'nothing';
  if (/TOKEN|SECRET|PASSWORD/.test(env)) return '(hidden)';
  return JSON.stringify(raw.replace(/(\/\/[^:/@\s]*):[^@\s]*@/g, '$1:***@'));
}

/** Reads every setting from `env`; `overrides` (tests) win over the environment. A bad value throws, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [keyof Config, Setting<z.ZodType<unknown, string>>][]) {
    const raw = env[s.env] ?? s.fallback(env);
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      throw new Error(`setting ${s.env}: ${why} (got ${shownValue(s.env, raw)})`);
    }
    config[key] = parsed.data;
  }
  const result = { ...(config as Config), ...overrides };
  if (result.defaultPageSize > result.maxPageSize)
    throw new Error('setting DEFAULT_PAGE_SIZE: must not be above MAX_PAGE_SIZE');
  if (result.turnLeaseRenewMs >= result.turnLeaseMs)
    throw new Error('setting TURN_LEASE_RENEW_MS: must be below TURN_LEASE_MS');
  return result;
}

/** The configuration table for the README. */
export function settingsMarkdown(): string {
  const rows = Object.values(SETTINGS).map(
    (s: Setting<z.ZodType<unknown, string>>) =>
      `| \`${s.env}\` | ${s.shown ?? `\`${s.fallback({})}\``} | ${s.doc} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--markdown')) {
  console.log(settingsMarkdown());
}
