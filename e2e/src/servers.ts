// The real API and the built web app for the browser tests, both on port 0 through @blip/testing's one "start and
// wait for the reported address" helper (no port is picked first and used later).
import {
  type ApiProcess,
  type ChildServer,
  REPO,
  startApi as startApiProcess,
  startWeb,
} from '@blip/testing';

export { REPO, startWeb };
export type Running = ChildServer;

/** Starts apps/api with a fresh data folder (removed when the test process exits); `env` adds settings. */
export function startApi(env: Record<string, string> = {}): Promise<ApiProcess> {
  return startApiProcess({ env });
}
