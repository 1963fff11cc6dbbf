// Shared test plumbing: start the real API (or any server that reports its port), read SSE, measure processes.
export {
  API_START_TIMEOUT_MS,
  type ApiExit,
  type ApiOptions,
  type ApiProcess,
  apiListeningUrl,
  runApiToExit,
  startApi,
} from './api.js';
export { type ChildServer, type ChildServerSpec, startChildServer } from './child-server.js';
export { startHaproxy, type TestHaproxy } from './haproxy.js';
export { ARTIFACTS, REPO, TINY_MODEL } from './paths.js';
export { startPostgres, type TestPostgres } from './postgres.js';
export { cpuMs, openFds, peakRssMiB, resetPeakRss, rssMiB } from './proc.js';
export { startRedis, type TestRedis } from './redis.js';
export { asResult, type GqlResult, readSse } from './sse.js';
export { systemBinary } from './system-package.js';
export { tempDir } from './temp.js';
export { uploadForm } from './upload.js';
export { nextListeningUrl, startWeb, WEB_START_TIMEOUT_MS } from './web.js';
