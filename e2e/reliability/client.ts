// Small real clients for the API: GraphQL over JSON, multipart upload, SSE subscriptions (the shared reader of
// @blip/testing). Each request names its owner key, so ownership tests can switch callers.
import { readSse, uploadForm } from '@blip/testing';

/** A GraphQL response plus its HTTP status. */
export interface Gql<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; field?: string };
  }[];
}

/** Owner keys the suite uses: two owners who must never see each other's data. */
export const ALICE = 'reliability-owner-alice-0001';
export const BOB = 'reliability-owner-bob-000002';

/** The first error code of a response, 'OK' when there is data and no error, or `HTTP <status>`. */
export function outcome(r: Gql): string {
  const code = r.errors?.[0]?.extensions?.code;
  if (code) return code;
  if (r.errors?.length) return `UNCODED(${r.errors[0]?.message})`;
  return r.status === 200 ? 'OK' : `HTTP ${r.status}`;
}

/** Sends one JSON GraphQL request (body may be any JSON: batches, odd shapes). */
export async function postJson<T = Record<string, unknown>>(
  endpoint: string,
  body: unknown,
  owner = ALICE,
  headers: Record<string, string> = {},
): Promise<Gql<T>> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': owner, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    const json = JSON.parse(text) as unknown;
    if (Array.isArray(json)) return { status: res.status, data: { batch: json } as T };
    return { status: res.status, ...(json as object) };
  } catch {
    return { status: res.status, errors: [{ message: text.slice(0, 200) }] };
  }
}

/** Runs a GraphQL operation as `owner`. */
export function gql<T = Record<string, unknown>>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  owner = ALICE,
): Promise<Gql<T>> {
  return postJson<T>(endpoint, { query, variables }, owner);
}

/** Uploads an image as `owner` (with the CSRF header unless `csrf` is false). */
export async function upload(
  endpoint: string,
  bytes: Uint8Array,
  filename = 'image.png',
  owner = ALICE,
  csrf = true,
): Promise<Gql<{ uploadImage: { id: string; width: number; height: number; format: string } }>> {
  const headers: Record<string, string> = { 'x-owner-key': owner };
  if (csrf) headers['x-graphql-yoga-csrf'] = '1';
  const res = await fetch(endpoint, {
    method: 'POST',
    headers,
    body: uploadForm(bytes, filename, 'id width height format'),
  });
  const text = await res.text();
  try {
    return { status: res.status, ...(JSON.parse(text) as object) };
  } catch {
    return { status: res.status, errors: [{ message: text.slice(0, 200) }] };
  }
}

/** Subscribes over SSE as `owner` and yields each `next` payload until `complete`. */
export function sse(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  owner = ALICE,
  signal?: AbortSignal,
): AsyncGenerator<Gql> {
  return readSse(endpoint, query, variables, { 'x-owner-key': owner }, signal);
}

/** A small valid PNG (solid colour), made with sharp. */
export async function pngOf(
  width: number,
  height: number,
  rgb: [number, number, number] = [200, 40, 40],
): Promise<Uint8Array> {
  const { default: sharp } = await import('sharp');
  const buf = await sharp({
    create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  })
    .png()
    .toBuffer();
  return new Uint8Array(buf);
}
