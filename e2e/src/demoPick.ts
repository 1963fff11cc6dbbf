// Which demo sample the end-to-end test uses. The demo model is good, not perfect (about 86% exact on questions), so the
// test asks the API directly (another owner, so the browser's list is untouched) and takes the first sample whose two
// questions the model answers exactly as samples.json records. The browser must then show those answers, streamed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoSample } from './samples.js';

/** A sample the model gets right, and the caption the model gives it (compared with samples.json by the test). */
export interface PickedSample {
  sample: DemoSample;
  modelCaption: string;
}

const OWNER = 'e2e-sample-picker-0123456789';

async function graphql(api: string, body: BodyInit, json = true): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'x-owner-key': OWNER, 'x-graphql-yoga-csrf': '1' };
  if (json) headers['content-type'] = 'application/json';
  const res = await fetch(`${api}/graphql`, { method: 'POST', headers, body });
  const out = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (out.errors?.length || !out.data) throw new Error(`GraphQL error: ${JSON.stringify(out.errors)}`);
  return out.data;
}

async function upload(api: string, path: string): Promise<string> {
  const form = new FormData();
  form.set(
    'operations',
    JSON.stringify({ query: 'mutation($f: File!) { uploadImage(file: $f) { id } }', variables: { f: null } }),
  );
  form.set('map', JSON.stringify({ 0: ['variables.f'] }));
  form.set('0', new Blob([readFileSync(path)], { type: 'image/png' }), 'sample.png');
  const data = await graphql(api, form, false);
  return (data.uploadImage as { id: string }).id;
}

async function ask(api: string, imageId: string, question: string | null): Promise<string> {
  const query =
    question === null
      ? 'mutation($i: ID!) { caption(imageId: $i) { text } }'
      : 'mutation($i: ID!, $q: String!) { answer(imageId: $i, question: $q) { text } }';
  const data = await graphql(api, JSON.stringify({ query, variables: { i: imageId, q: question } }));
  return ((question === null ? data.caption : data.answer) as { text: string }).text;
}

/** The first sample whose first two questions the model answers correctly, or null when there is none. */
export async function pickCorrectSample(
  api: string,
  dir: string,
  samples: DemoSample[],
): Promise<PickedSample | null> {
  for (const sample of samples) {
    if (sample.questions.length < 2) continue;
    const imageId = await upload(api, join(dir, sample.file));
    // One at a time: the test's API has a single generation slot and no queue.
    const answers: string[] = [];
    for (const qa of sample.questions.slice(0, 2)) answers.push(await ask(api, imageId, qa.question));
    if (answers.every((a, i) => a === sample.questions[i]?.answer)) {
      return { sample, modelCaption: await ask(api, imageId, null) };
    }
  }
  return null;
}
