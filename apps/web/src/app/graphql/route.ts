// /graphql on the web origin: every query, mutation, upload and subscription stream goes through to the API.
import { proxy } from '../../server/proxy.js';
import { apiUrl } from '../../server/settings.js';

export const dynamic = 'force-dynamic';

/** Forwards a GraphQL request (queries over GET, and server-sent event subscriptions). */
export function GET(request: Request): Promise<Response> {
  const url = new URL(apiUrl());
  url.search = new URL(request.url).search;
  return proxy(request, url.toString());
}

/** Forwards a GraphQL request body (JSON, or a multipart upload). */
export function POST(request: Request): Promise<Response> {
  return proxy(request, apiUrl());
}
