// What a client of the cluster does, as plain HTTP through HAProxy: upload, caption, follow-up questions, long
// answers streamed over SSE, and Stop. Variables are named imageId/conversationId: HAProxy hashes on imageId.
import { type GqlResult, readSse, uploadForm } from '@blip/testing';
import { benchImage } from '@blip/testing/bench';

/** A distinct owner key per client (16–256 characters of A-Za-z0-9_-). */
export const ownerKey = (client: number) => `scale-client-owner-${String(client).padStart(4, '0')}`;

async function post<T>(endpoint: string, owner: string, query: string, variables: object): Promise<T> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': owner },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GqlResult<T>;
  if (body.errors || !body.data) throw new Error(`${res.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Uploads bench image `seed` as `owner`; returns its id. */
export async function upload(endpoint: string, owner: string, seed: number): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'x-graphql-yoga-csrf': '1', 'x-owner-key': owner },
    body: uploadForm(await benchImage(seed), `scale-${seed}.png`),
  });
  const body = (await res.json()) as GqlResult<{ uploadImage: { id: string } }>;
  if (!body.data) throw new Error(`upload: ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data.uploadImage.id;
}

/** A generated turn as the client got it back. */
export interface Answered {
  conversationId: string;
  turnId: string;
  imageCacheHit: boolean;
}

const ANSWER_FIELDS = 'conversation { id } turn { id } imageCacheHit';
const SHORT = { maxNewTokens: 3 };

/** Captions the image (a new conversation). */
export async function caption(endpoint: string, owner: string, imageId: string): Promise<Answered> {
  const q = `mutation ($imageId: ID!, $o: GenerationOptions) { caption(imageId: $imageId, options: $o) { ${ANSWER_FIELDS} } }`;
  const { caption: a } = await post<{ caption: Record<string, never> }>(endpoint, owner, q, {
    imageId,
    o: SHORT,
  });
  return flatten(a);
}

/** Asks a follow-up question in the conversation. */
export async function followUp(
  endpoint: string,
  owner: string,
  imageId: string,
  conversationId: string,
  question: string,
): Promise<Answered> {
  const q = `mutation ($imageId: ID!, $conversationId: ID, $q: String!, $o: GenerationOptions) {
    answer(imageId: $imageId, conversationId: $conversationId, question: $q, options: $o) { ${ANSWER_FIELDS} } }`;
  const { answer: a } = await post<{ answer: Record<string, never> }>(endpoint, owner, q, {
    imageId,
    conversationId,
    q: question,
    o: SHORT,
  });
  return flatten(a);
}

function flatten(a: {
  conversation?: { id: string };
  turn?: { id: string };
  imageCacheHit?: boolean;
}): Answered {
  return {
    conversationId: a.conversation?.id ?? '',
    turnId: a.turn?.id ?? '',
    imageCacheHit: !!a.imageCacheHit,
  };
}

/** The conversation's turn ids as `endpoint` (one replica) sees them. */
export async function turnIds(endpoint: string, owner: string, conversationId: string): Promise<string[]> {
  const q = 'query ($c: ID!) { conversation(id: $c) { turns { id } } }';
  const data = await post<{ conversation: { turns: { id: string }[] } }>(endpoint, owner, q, {
    c: conversationId,
  });
  return data.conversation.turns.map((t) => t.id);
}

/** How many conversations `owner` has, as `endpoint` sees it. */
export async function conversationCount(endpoint: string, owner: string): Promise<number> {
  const data = await post<{ conversations: { totalCount: number } }>(
    endpoint,
    owner,
    '{ conversations(first: 1) { totalCount } }',
    {},
  );
  return data.conversations.totalCount;
}

/** Cancels a turn through `endpoint`; returns its stored status. */
export async function cancel(endpoint: string, owner: string, turnId: string): Promise<string> {
  const q = 'mutation ($t: ID!) { cancelTurn(id: $t) { status } }';
  return (await post<{ cancelTurn: { status: string } }>(endpoint, owner, q, { t: turnId })).cancelTurn
    .status;
}

/** A long answer streamed over SSE, read by hand (leaving a for-await loop would close it and cancel the turn):
 * resolves once the first token arrived (or, with `untilToken` false, once the turn is stored), with the turn
 * id and the rest of the stream. */
export async function longAnswer(
  endpoint: string,
  owner: string,
  imageId: string,
  tokens = 100,
  untilToken = true,
  extra: Record<string, unknown> = {},
) {
  const q = `subscription ($imageId: ID!, $o: GenerationOptions) { answerStream(imageId: $imageId,
    question: "what is there?", options: $o) { __typename ... on StreamStarted { turn { id } } } }`;
  const stream = readSse(
    endpoint,
    q,
    { imageId, o: { minNewTokens: tokens, maxNewTokens: tokens, ...extra } },
    {
      'x-owner-key': owner,
    },
  );
  let turnId = '';
  for (;;) {
    const { value, done } = await stream.next();
    if (done) throw new Error('the stream ended before its first token');
    if (value.errors) throw new Error(JSON.stringify(value.errors));
    const event = (value.data as { answerStream: { __typename: string; turn?: { id: string } } })
      .answerStream;
    if (event.turn) turnId = event.turn.id;
    if (event.__typename === 'StreamToken' || (turnId && !untilToken)) return { turnId, stream };
  }
}

/** Reads a stream to its end; a broken connection counts as an end. Returns the last result, if any. */
export async function drain(stream: AsyncGenerator<GqlResult>): Promise<GqlResult | undefined> {
  let last: GqlResult | undefined;
  try {
    for await (const r of stream) last = r;
  } catch {
    // the replica died under it
  }
  return last;
}
