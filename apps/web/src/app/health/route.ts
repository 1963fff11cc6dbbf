// Liveness of the web app itself (the API has its own /health); end-to-end tests wait on it.
export const dynamic = 'force-dynamic';

/** Always 200 once the server is up. */
export function GET(): Response {
  return Response.json({ status: 'ok' });
}
