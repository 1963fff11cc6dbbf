// The web app's run-time settings: read from the environment on every use, so one build serves any API address.
import { resolve } from 'node:path';

/** Where the GraphQL API listens (the browser never sees it: /graphql on this origin is proxied there). */
export function apiUrl(): string {
  return process.env.BLIP_API_URL ?? 'http://127.0.0.1:4000/graphql';
}

/** The API's origin, for the paths it serves besides /graphql (images, health). */
export function apiOrigin(): string {
  return new URL(apiUrl()).origin;
}

/** Folder of the demo model's sample images and their samples.json. */
export function samplesDir(): string {
  // `npm run -w @blip/web` runs in apps/web, so the repository root is two levels up.
  return resolve(
    /*turbopackIgnore: true*/ process.env.BLIP_SAMPLES_DIR ??
      resolve(process.cwd(), '../../models/shapes-demo/samples'),
  );
}

/** How long the proxy waits for the API to answer the request headers, ms (the body may then stream for longer). */
export function upstreamTimeoutMs(): number {
  const raw = Number(process.env.BLIP_API_TIMEOUT_MS ?? 10_000);
  return Number.isFinite(raw) && raw > 0 ? raw : 10_000;
}
