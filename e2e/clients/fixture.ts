// What every stock-client check shares: the real API as a child process (port 0, tiny-vqa), one uploaded image,
// one owner key sent the way each client documents (a header, connectionParams, or the browser's cookie), and
// the operations they send, written once.
import { type ApiProcess, startApi, uploadForm } from '@blip/testing';
import sharp from 'sharp';
import { checkFinding, openFinding } from '../known-open.js';

export const OWNER = 'stock-clients-owner-0001';
export const OWNER_HEADERS = { 'x-owner-key': OWNER };

export const LIMITS = 'query Limits { limits { maxQuestionChars maxUploadBytes } }';
export const CREATE = `mutation Create($i: ID!) { createConversation(imageId: $i, title: "stock") { id title } }`;
export const CONVERSATIONS = 'query Conversations { conversations(first: 5) { totalCount nodes { id } } }';
/** A short streamed answer; every client must see the events in order, ending with StreamCompleted. */
export const STREAM = `subscription Ask($i: ID!) {
  answerStream(imageId: $i, question: "what colour is it?", options: { maxNewTokens: 4 }) {
    __typename
    ... on StreamToken { index }
    ... on StreamCompleted { answer { text } }
  }
}`;

/** The running API and an image of OWNER's. */
export interface Served {
  api: ApiProcess;
  imageId: string;
  /** ws://…/graphql */
  wsUrl: string;
}

export async function serve(): Promise<Served> {
  const api = await startApi();
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c83030' } })
    .png()
    .toBuffer();
  const res = await fetch(api.graphql, {
    method: 'POST',
    headers: { ...OWNER_HEADERS, 'x-graphql-yoga-csrf': '1' },
    body: uploadForm(new Uint8Array(png), 'red.png', 'id'),
  });
  const body = (await res.json()) as { data?: { uploadImage?: { id: string } } };
  const imageId = body.data?.uploadImage?.id;
  if (!imageId) throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return { api, imageId, wsUrl: api.graphql.replace(/^http/, 'ws') };
}

/** The `__typename`s of a stream's events, in order. */
export type Typenames = string[];

/** Asserts a stream went StreamStarted, progress (StreamQueued… when it waited, StreamImage, StreamAnswering),
 * StreamToken…, StreamCompleted: every transport carries the progress events (issue 16). */
export function assertStreamShape(names: Typenames): void {
  const shape = names
    .join(' ')
    .replace(/(StreamToken ?)+/g, 'StreamToken… ')
    .replace(/(StreamQueued ?)+/g, 'StreamQueued… ');
  const expected =
    /^StreamStarted (StreamQueued… )?StreamImage StreamAnswering StreamToken… StreamCompleted$/;
  if (!expected.test(shape.trim()))
    throw new Error(`unexpected stream: ${names.join(', ') || '(no events)'}`);
}

/** A node:test body for a check that may be tied to an open finding of issue 16 (see ../known-open.ts). */
export const stockCase = (finding: string | undefined, check: () => Promise<void>) => async () => {
  await checkFinding(finding, check);
};

/** The test's name, saying when it checks an open finding. */
export const named = (name: string, finding?: string) =>
  openFinding(finding) ? `${name} [known open #${finding}: passes while broken, fails once fixed]` : name;
