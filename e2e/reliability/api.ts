// The suite's view of the shared harness (@blip/testing): the real API as a child process on port 0, reporting
// the port it got, with a data folder the caller may reuse across restarts; runs to exit for start-up failures.
import { type ApiExit, type ApiProcess, runApiToExit } from '@blip/testing';

export { openFds, rssMiB, startApi, TINY_MODEL, tempDir } from '@blip/testing';

/** A running API child (url, graphql, pid, child, log, dataDir, listening, stop). */
export type Api = ApiProcess;

/** A start that is meant to fail: runs the API (as `uid` when given) until it exits, or kills it at the timeout. */
export function runToExit(
  dataDir: string,
  env: Record<string, string>,
  timeoutMs?: number,
  uid?: number,
): Promise<ApiExit> {
  return runApiToExit(dataDir, env, { ...(timeoutMs === undefined ? {} : { timeoutMs }), uid });
}
