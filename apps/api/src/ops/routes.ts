// Plain HTTP routes beside /graphql: liveness, readiness, Prometheus metrics, and image bytes for their owner.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../context.js';
import { identifyCaller } from '../owner.js';

/** Readiness as the routes see it. */
export interface Health {
  /** Models loaded and warmed up. */
  ready(): boolean;
  /** Shutting down: not ready any more, still alive. */
  closing(): boolean;
  services(): Services | undefined;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/** Serves the route if it is one of these and returns true; false hands the request on to GraphQL. */
export function handleRoute(req: IncomingMessage, res: ServerResponse, health: Health): boolean {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/health') {
    json(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/ready') {
    const ready = health.ready() && !health.closing();
    json(res, ready ? 200 : 503, { status: ready ? 'ready' : health.closing() ? 'closing' : 'loading' });
    return true;
  }
  const services = health.services();
  if (path === '/metrics') {
    const token = services?.config.metricsToken;
    // Not public: only with the configured token here, or on the separate METRICS_PORT.
    if (!token || !services) json(res, 404, { error: 'NOT_FOUND' });
    else if (req.headers.authorization !== `Bearer ${token}`) json(res, 401, { error: 'UNAUTHENTICATED' });
    else serveMetrics(res, services);
    return true;
  }
  const image = /^\/images\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (image?.[1] && services) {
    void serveImage(req, res, services, image[1]);
    return true;
  }
  return false;
}

/** The Prometheus text of every metric. */
export function serveMetrics(res: ServerResponse, services: Services): void {
  services.metrics.registry.metrics().then(
    (text) => {
      res.writeHead(200, {
        'content-type': services.metrics.registry.contentType,
        'cache-control': 'no-store',
      });
      res.end(text);
    },
    () => json(res, 500, { error: 'metrics unavailable' }),
  );
}

/** Headers every response of the server carries, whoever writes it. */
export function securityHeaders(res: ServerResponse): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
}

async function serveImage(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
  id: string,
): Promise<void> {
  try {
    const header = (name: string) => req.headers[name] as string | undefined;
    const caller = identifyCaller(
      { authorization: header('authorization'), ownerKey: header('x-owner-key'), cookie: header('cookie') },
      services.config.ownerCookie,
    );
    if (caller.issuedKey) return json(res, 404, { error: 'NOT_FOUND' }); // no key: nothing can be theirs
    const record = await services.imageRepo.get(caller.owner, id);
    if (!record) return json(res, 404, { error: 'NOT_FOUND' });
    const bytes = await services.images.read(record);
    res.writeHead(200, {
      'content-type': record.mime,
      'content-length': bytes.byteLength,
      'cache-control': 'private, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  } catch {
    json(res, 404, { error: 'NOT_FOUND' });
  }
}
