// Every limit and knob of the API: one named setting each, read from the environment, with a default and a doc line.
// The README's configuration table is printed from SETTINGS (`npx tsx apps/api/src/config.ts --markdown`).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (apps/api/src/config.ts is three levels down). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The API's settings after parsing; `loadConfig` fills every field. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  models: string[];
  webOrigins: string[];
  concurrency: number;
  maxQueue: number;
  imageCacheSize: number;
  preparedCacheSize: number;
  inferencePrecision: 'f32' | 'bf16';
  performanceHint: 'LATENCY' | 'THROUGHPUT';
  /** 0 = OpenVINO's choice for the hint. */
  numStreams: number;
  /** 0 = OpenVINO's choice. */
  numThreads: number;
  maxUploadBytes: number;
  maxPixels: number;
  maxDimension: number;
  maxQuestionChars: number;
  maxQueryDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  defaultPageSize: number;
  maxPageSize: number;
  shutdownGraceMs: number;
  ownerCookie: string;
  graphiql: boolean;
}

type Parse = (raw: string) => unknown;
interface Setting {
  key: keyof Config;
  env: string;
  doc: string;
  /** Default as text, exactly as it would be written in the environment. */
  fallback: () => string;
  /** How the README shows the default, when it depends on the machine. */
  shown?: string;
  parse: Parse;
}

const int: Parse = (raw) => {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${raw}"`);
  return n;
};
const list: Parse = (raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const bool: Parse = (raw) => /^(1|true|yes|on)$/i.test(raw);
const text: Parse = (raw) => raw;
const folders: Parse = (raw) => (list(raw) as string[]).map((f) => resolve(REPO_ROOT, f));

/** The bundled demo model (and its INT8 build, when made) if the toolchain has made it, else the tiny test model. */
function defaultModels(): string {
  const exists = (folder: string) => existsSync(resolve(REPO_ROOT, folder, 'manifest.json'));
  if (!exists('models/shapes-demo')) return 'models/tiny-vqa';
  return exists('models/shapes-demo-int8')
    ? 'models/shapes-demo,models/shapes-demo-int8'
    : 'models/shapes-demo';
}

const MiB = 1024 * 1024;

/** Every setting, in the order the README lists them. */
export const SETTINGS: Setting[] = [
  { key: 'port', env: 'PORT', doc: 'HTTP port (0 = any free port)', fallback: () => '4000', parse: int },
  { key: 'host', env: 'HOST', doc: 'Interface to listen on', fallback: () => '127.0.0.1', parse: text },
  {
    key: 'dataDir',
    env: 'DATA_DIR',
    doc: 'Where the SQLite database and the content-addressed image store live',
    fallback: () => 'var',
    parse: (raw) => resolve(REPO_ROOT, raw),
  },
  {
    key: 'models',
    env: 'BLIP_MODELS',
    doc: 'Comma-separated model folders to load; the first is the default model',
    fallback: defaultModels,
    shown:
      '`models/shapes-demo` (plus `models/shapes-demo-int8` if made) if it exists, else `models/tiny-vqa`',
    parse: folders,
  },
  {
    key: 'webOrigins',
    env: 'WEB_ORIGIN',
    doc: 'Comma-separated browser origins allowed by CORS',
    fallback: () => 'http://localhost:3000,http://127.0.0.1:3000',
    parse: list,
  },
  {
    key: 'concurrency',
    env: 'BLIP_CONCURRENCY',
    doc: 'Generations running at once',
    fallback: () => '1',
    parse: int,
  },
  {
    key: 'maxQueue',
    env: 'BLIP_MAX_QUEUE',
    doc: 'Generations waiting; past it calls fail at once with OVERLOADED',
    fallback: () => '16',
    parse: int,
  },
  {
    key: 'imageCacheSize',
    env: 'BLIP_IMAGE_CACHE_SIZE',
    doc: 'Image-embedding cache entries per model (follow-up questions skip the vision encoder)',
    fallback: () => '32',
    parse: int,
  },
  {
    key: 'preparedCacheSize',
    env: 'PREPARED_IMAGE_CACHE_SIZE',
    doc: 'Decoded, resized images kept in memory (about 1.7 MB each at 384 px)',
    fallback: () => '16',
    parse: int,
  },
  {
    key: 'inferencePrecision',
    env: 'BLIP_INFERENCE_PRECISION',
    doc: 'OpenVINO CPU inference precision: f32 (token-exact with Hugging Face) or bf16',
    fallback: () => 'f32',
    parse: (raw) => {
      if (raw !== 'f32' && raw !== 'bf16') throw new Error(`expected f32 or bf16, got "${raw}"`);
      return raw;
    },
  },
  {
    key: 'performanceHint',
    env: 'BLIP_PERFORMANCE_HINT',
    doc: 'OpenVINO performance hint: LATENCY (one answer fast) or THROUGHPUT (several at once); see BENCHMARKS.md "Under load"',
    fallback: () => 'LATENCY',
    parse: (raw) => {
      if (raw !== 'LATENCY' && raw !== 'THROUGHPUT')
        throw new Error(`expected LATENCY or THROUGHPUT, got "${raw}"`);
      return raw;
    },
  },
  {
    key: 'numStreams',
    env: 'BLIP_NUM_STREAMS',
    doc: "OpenVINO CPU streams (parallel inferences) per model part; 0 = the hint's choice",
    fallback: () => '0',
    parse: int,
  },
  {
    key: 'numThreads',
    env: 'BLIP_NUM_THREADS',
    doc: "OpenVINO CPU inference threads per model part; 0 = OpenVINO's choice (all cores)",
    fallback: () => '0',
    parse: int,
  },
  {
    key: 'maxUploadBytes',
    env: 'MAX_UPLOAD_BYTES',
    doc: 'Largest accepted image file, bytes',
    fallback: () => String(20 * MiB),
    parse: int,
  },
  {
    key: 'maxPixels',
    env: 'MAX_IMAGE_PIXELS',
    doc: 'Largest decoded image, pixels (decompression-bomb guard)',
    fallback: () => String(40_000_000),
    parse: int,
  },
  {
    key: 'maxDimension',
    env: 'MAX_IMAGE_DIMENSION',
    doc: 'Largest image width or height, pixels',
    fallback: () => '12000',
    parse: int,
  },
  {
    key: 'maxQuestionChars',
    env: 'MAX_QUESTION_CHARS',
    doc: 'Longest accepted question, characters',
    fallback: () => '500',
    parse: int,
  },
  {
    key: 'maxQueryDepth',
    env: 'MAX_QUERY_DEPTH',
    doc: 'GraphQL selection depth limit (the deepest useful query is 6)',
    fallback: () => '10',
    parse: int,
  },
  {
    key: 'maxAliases',
    env: 'MAX_QUERY_ALIASES',
    doc: 'GraphQL aliases per operation',
    fallback: () => '15',
    parse: int,
  },
  {
    key: 'maxCost',
    env: 'MAX_QUERY_COST',
    doc: 'GraphQL cost limit (graphql-armor)',
    fallback: () => '5000',
    parse: int,
  },
  {
    key: 'maxTokens',
    env: 'MAX_QUERY_TOKENS',
    doc: 'GraphQL tokens per document',
    fallback: () => '1000',
    parse: int,
  },
  {
    key: 'maxDirectives',
    env: 'MAX_QUERY_DIRECTIVES',
    doc: 'GraphQL directives per operation',
    fallback: () => '50',
    parse: int,
  },
  {
    key: 'defaultPageSize',
    env: 'DEFAULT_PAGE_SIZE',
    doc: 'Conversations per page when `first` is not given',
    fallback: () => '20',
    parse: int,
  },
  {
    key: 'maxPageSize',
    env: 'MAX_PAGE_SIZE',
    doc: 'Largest accepted `first`',
    fallback: () => '100',
    parse: int,
  },
  {
    key: 'shutdownGraceMs',
    env: 'SHUTDOWN_GRACE_MS',
    doc: 'On SIGTERM/SIGINT: how long in-flight requests may finish before they are cancelled',
    fallback: () => '5000',
    parse: int,
  },
  {
    key: 'ownerCookie',
    env: 'OWNER_COOKIE',
    doc: 'Cookie carrying the anonymous per-browser owner key (header `x-owner-key` works too)',
    fallback: () => 'blip_owner',
    parse: text,
  },
  {
    key: 'graphiql',
    env: 'GRAPHIQL',
    doc: 'Serve GraphiQL at /graphql',
    fallback: () => 'true',
    parse: bool,
  },
];

/** Reads every setting from `env`; `overrides` (tests) win over the environment. A bad value throws, naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const raw = env[s.env] ?? s.fallback();
    try {
      config[s.key] = s.parse(raw);
    } catch (err) {
      throw new Error(`setting ${s.env}: ${(err as Error).message}`);
    }
  }
  return { ...(config as unknown as Config), ...overrides };
}

/** The configuration table for the README. */
export function settingsMarkdown(): string {
  const rows = SETTINGS.map((s) => `| \`${s.env}\` | ${s.shown ?? `\`${s.fallback()}\``} | ${s.doc} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--markdown')) {
  console.log(settingsMarkdown());
}
