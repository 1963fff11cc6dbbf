// The burst's second process: fires `count` answer requests at once at the API and prints one JSON line with
// how many were served, refused OVERLOADED, or anything else. Bounded: one request per slot, no retries.
// Usage: node --import tsx load-client.ts <graphql-url> <image-id> <count> <owner-key>
const [endpoint, imageId, countText, owner] = process.argv.slice(2);
if (!endpoint || !imageId || !countText || !owner)
  throw new Error('usage: load-client.ts <url> <image-id> <count> <owner>');
/** Tokens per answer: long enough that the queue fills while the first ones run. */
const TOKENS = 24;
const QUERY = `mutation ($i: ID!, $q: String!) {
  answer(imageId: $i, question: $q, options: { minNewTokens: ${TOKENS}, maxNewTokens: ${TOKENS} }) { text }
}`;

async function one(k: number): Promise<string> {
  try {
    const res = await fetch(endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-owner-key': owner as string },
      body: JSON.stringify({ query: QUERY, variables: { i: imageId, q: `question number ${k}?` } }),
    });
    if (res.status >= 500) return `HTTP ${res.status}`;
    const body = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    return body.errors?.[0]?.extensions?.code ?? (body.data ? 'OK' : `HTTP ${res.status}`);
  } catch (err) {
    return `network: ${(err as Error).message}`;
  }
}

const started = performance.now();
const outcomes = await Promise.all(Array.from({ length: Number(countText) }, (_, k) => one(k)));
const counts: Record<string, number> = {};
for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
console.log(
  JSON.stringify({
    event: 'burst',
    count: outcomes.length,
    counts,
    ms: Math.round(performance.now() - started),
  }),
);
