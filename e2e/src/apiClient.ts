// A few direct GraphQL calls as one owner, for tests that need many conversations quickly (no generation involved).
import { readFileSync } from 'node:fs';

/** Sends one GraphQL request to `api` as `owner`; throws on any error. */
export async function graphql<T>(api: string, owner: string, query: string, variables = {}): Promise<T> {
  const res = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owner-key': owner },
    body: JSON.stringify({ query, variables }),
  });
  const out = (await res.json()) as { data?: T; errors?: unknown[] };
  if (out.errors?.length || !out.data) throw new Error(`GraphQL error: ${JSON.stringify(out.errors)}`);
  return out.data;
}

/** Uploads the image at `path` as `owner`; returns its id. */
export async function uploadAs(api: string, owner: string, path: string): Promise<string> {
  const form = new FormData();
  const query = 'mutation($f: File!) { uploadImage(file: $f) { id } }';
  form.set('operations', JSON.stringify({ query, variables: { f: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.f'] }));
  form.set('0', new Blob([readFileSync(path)], { type: 'image/png' }), 'image.png');
  const res = await fetch(`${api}/graphql`, {
    method: 'POST',
    headers: { 'x-owner-key': owner, 'x-graphql-yoga-csrf': '1' },
    body: form,
  });
  const out = (await res.json()) as { data?: { uploadImage: { id: string } }; errors?: unknown[] };
  if (!out.data) throw new Error(`upload failed: ${JSON.stringify(out.errors)}`);
  return out.data.uploadImage.id;
}

/** Makes `count` conversations titled "Conversation 1…count" about one image; returns their ids, oldest first. */
export async function makeConversations(api: string, owner: string, imageId: string, count: number) {
  const ids: string[] = [];
  for (let i = 1; i <= count; i++) {
    const data = await graphql<{ createConversation: { id: string } }>(
      api,
      owner,
      'mutation($i: ID!, $t: String) { createConversation(imageId: $i, title: $t) { id } }',
      { i: imageId, t: `Conversation ${i}` },
    );
    ids.push(data.createConversation.id);
  }
  return ids;
}
