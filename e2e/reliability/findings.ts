// What the audit-finding cases (findings-*.test.ts) share: the schema as the server reports it, the operation
// type that records a turn, and a stream held open while other requests are made.
import { type Api, startApi } from './api.js';
import { gql, outcome, pngOf, sse, upload } from './client.js';

/** Small, so an over-large request body is cheap to send. */
export const FINDINGS_MAX_UPLOAD_BYTES = 1_000_000;

/** The HTTP and transport findings' server: the real API on tiny-vqa with a small upload limit, and one image. */
export async function startFindingsApi(): Promise<{ api: Api; imageId: string }> {
  const api = await startApi({ env: { MAX_UPLOAD_BYTES: String(FINDINGS_MAX_UPLOAD_BYTES) } });
  const imageId = (await upload(api.graphql, await pngOf(32, 32))).data?.uploadImage.id as string;
  return { api, imageId };
}

/** Field names of a type of the served schema (introspection), [] when the type does not exist. */
export async function fieldsOf(endpoint: string, type: string): Promise<string[]> {
  const r = await gql<{ __type: { fields: { name: string }[] } | null }>(
    endpoint,
    'query ($t: String!) { __type(name: $t) { fields { name } } }',
    { t: type },
  );
  return r.data?.__type?.fields.map((f) => f.name) ?? [];
}

/** The values of an enum of the served schema. */
export async function enumValues(endpoint: string, type: string): Promise<string[]> {
  const r = await gql<{ __type: { enumValues: { name: string }[] } | null }>(
    endpoint,
    'query ($t: String!) { __type(name: $t) { enumValues { name } } }',
    { t: type },
  );
  return r.data?.__type?.enumValues.map((v) => v.name) ?? [];
}

/** The named type of one field (through NON_NULL / LIST wrappers). */
export async function fieldType(endpoint: string, type: string, field: string): Promise<string | undefined> {
  type T = { name: string | null; ofType: T | null };
  const r = await gql<{ __type: { fields: { name: string; type: T }[] } | null }>(
    endpoint,
    'query ($t: String!) { __type(name: $t) { fields { name type { name ofType { name ofType { name } } } } } }',
    { t: type },
  );
  let t: T | null | undefined = r.data?.__type?.fields.find((f) => f.name === field)?.type;
  while (t && !t.name) t = t.ofType;
  return t?.name ?? undefined;
}

/** 'mutation' once `answer` is a Mutation field, else 'query' (where main still has it). */
export async function answerOperation(endpoint: string): Promise<'mutation' | 'query'> {
  return (await fieldsOf(endpoint, 'Mutation')).includes('answer') ? 'mutation' : 'query';
}

/** A long answer streamed as `owner`, resolved once its StreamStarted arrived; `stop()` unsubscribes. */
export async function holdStream(
  endpoint: string,
  imageId: string,
  owner: string,
): Promise<{ stop(): void; ended: Promise<string> }> {
  const ctrl = new AbortController();
  const query = `subscription ($i: ID!) { answerStream(imageId: $i, question: "hold?",
    options: { minNewTokens: 120, maxNewTokens: 120 }) { __typename } }`;
  let started: () => void = () => {};
  const startedP = new Promise<void>((r) => {
    started = r;
  });
  const ended = (async () => {
    try {
      for await (const ev of sse(endpoint, query, { i: imageId }, owner, ctrl.signal)) {
        if (ev.errors) return outcome(ev);
        started();
      }
      return 'completed';
    } catch {
      return 'aborted';
    } finally {
      started();
    }
  })();
  await startedP;
  return { stop: () => ctrl.abort(), ended };
}
