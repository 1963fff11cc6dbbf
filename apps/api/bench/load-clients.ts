// Concurrent clients against a running API: each uploads nothing during the run (images are uploaded first),
// asks questions (`answerStream`) or asks for captions (`captionStream`) over SSE, and notes when the first
// token and the completion arrive.
import { readSse, uploadForm } from '@blip/testing';

const EVENTS = `__typename
    ... on StreamToken { index }
    ... on StreamCompleted { answer { tokenIds } }`;
const ASK = `subscription ($imageId: ID!, $q: String!, $options: GenerationOptions) {
  answerStream(imageId: $imageId, question: $q, options: $options) { ${EVENTS} }
}`;
const CAPTION = `subscription ($imageId: ID!, $options: GenerationOptions) {
  captionStream(imageId: $imageId, options: $options) { ${EVENTS} }
}`;

/** One answer as a client saw it, ms from sending the request. */
export interface ClientAnswer {
  ok: boolean;
  /** The GraphQL error code when not ok (OVERLOADED, …). */
  error?: string;
  firstTokenMs: number;
  totalMs: number;
}

/** What one level of concurrency gave. */
export interface LevelRun {
  clients: number;
  answers: ClientAnswer[];
  /** From the first request to the last completion. */
  wallMs: number;
}

/** Headers of a benchmark client. Images belong to whoever uploaded them and any client may take any image,
 * so all clients share one owner key (ownership checks cost the same either way). */
const headers = (client: number) => ({
  'x-owner-key': 'load-bench-owner-0000',
  'x-bench-client': String(client),
});

/** Uploads images (multipart, as the web app does) and returns their ids. */
export async function uploadImages(url: string, images: Uint8Array[]): Promise<string[]> {
  const ids: string[] = [];
  for (const bytes of images) {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1', ...headers(0) },
      body: uploadForm(bytes, 'scene.jpg'),
    });
    const body = (await res.json()) as { data?: { uploadImage?: { id: string } }; errors?: unknown[] };
    const id = body.data?.uploadImage?.id;
    if (!id) throw new Error(`upload failed (${res.status}): ${JSON.stringify(body.errors)}`);
    ids.push(id);
  }
  return ids;
}

/** Asks one question over SSE; checks the answer has the forced length. */
export function askOnce(
  url: string,
  client: number,
  imageId: string,
  question: string,
  tokens: number,
): Promise<ClientAnswer> {
  return streamOnce(url, client, { imageId, question }, tokens);
}

/** One answer (with `question`) or caption (without) over SSE, forced to `tokens` tokens, as the client saw it. */
export async function streamOnce(
  url: string,
  client: number,
  ask: { imageId: string; question?: string },
  tokens: number,
): Promise<ClientAnswer> {
  const options = { minNewTokens: tokens, maxNewTokens: tokens };
  const [query, field] = ask.question === undefined ? [CAPTION, 'captionStream'] : [ASK, 'answerStream'];
  const start = performance.now();
  let firstTokenMs = Number.NaN;
  for await (const result of readSse(
    `${url}/graphql`,
    query,
    { imageId: ask.imageId, q: ask.question, options },
    headers(client),
  )) {
    const code = result.errors?.[0]?.extensions?.code;
    if (code === 'OVERLOADED') return { ok: false, error: code, firstTokenMs, totalMs: Number.NaN };
    // Anything else means the benchmark itself is wrong: stop rather than report a table of failures.
    if (result.errors?.length) throw new Error(`${field} failed: ${JSON.stringify(result.errors[0])}`);
    const event = (result.data as Record<string, { __typename: string; answer?: { tokenIds: number[] } }>)?.[
      field
    ];
    if (event?.__typename === 'StreamToken' && Number.isNaN(firstTokenMs))
      firstTokenMs = performance.now() - start;
    if (event?.__typename === 'StreamCompleted') {
      if (event.answer?.tokenIds.length !== tokens) throw new Error(`expected ${tokens} tokens`);
      return { ok: true, firstTokenMs, totalMs: performance.now() - start };
    }
  }
  return { ok: false, error: 'NO_COMPLETION', firstTokenMs, totalMs: Number.NaN };
}

/**
 * `clients` clients ask one question after another, each about the next unused image, until `maxAnswers`
 * questions were started or `maxMs` passed (questions already asked then finish).
 */
export async function runLevel(
  url: string,
  clients: number,
  imageIds: string[],
  question: string,
  tokens: number,
  limits: { maxAnswers: number; maxMs: number },
): Promise<LevelRun> {
  const answers: ClientAnswer[] = [];
  let next = 0;
  const start = performance.now();
  const client = async (index: number) => {
    while (next < limits.maxAnswers && next < imageIds.length && performance.now() - start < limits.maxMs) {
      const imageId = imageIds[next++] as string;
      answers.push(await askOnce(url, index + 1, imageId, question, tokens));
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  return { clients, answers, wallMs: performance.now() - start };
}
