// Queries and mutations from stock clients, each used as its docs say with default options (only the owner key
// added, the way each documents custom headers): @urql/core, graphql-request, Apollo's HttpLink, and curl.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { ApolloClient, gql as apolloGql, HttpLink, InMemoryCache } from '@apollo/client';
import { REPO } from '@blip/testing';
import { Client, fetchExchange } from '@urql/core';
import { GraphQLClient } from 'graphql-request';
import {
  CONVERSATIONS,
  CREATE,
  LIMITS,
  named,
  OWNER_HEADERS,
  type Served,
  serve,
  stockCase,
} from './fixture.js';

const run = promisify(execFile);
let s: Served;
before(async () => {
  s = await serve();
});
after(() => s.api.stop());

const urql = () =>
  new Client({ url: s.api.graphql, exchanges: [fetchExchange], fetchOptions: { headers: OWNER_HEADERS } });

test(
  named('@urql/core, default options: a query (sent as GET)', '16.6b'),
  stockCase('16.6b', async () => {
    const r = await urql().query(LIMITS, {}).toPromise();
    assert.equal(r.error, undefined, r.error?.message);
    assert.ok((r.data as { limits: { maxQuestionChars: number } }).limits.maxQuestionChars > 0);
  }),
);

test(
  '@urql/core, default options: a mutation (POST)',
  stockCase(undefined, async () => {
    const r = await urql().mutation(CREATE, { i: s.imageId }).toPromise();
    assert.equal(r.error, undefined, r.error?.message);
    assert.equal((r.data as { createConversation: { title: string } }).createConversation.title, 'stock');
  }),
);

test(
  'graphql-request, default options: a mutation, then a query that sees it',
  stockCase(undefined, async () => {
    const client = new GraphQLClient(s.api.graphql, { headers: OWNER_HEADERS });
    const made = await client.request<{ createConversation: { id: string } }>(CREATE, { i: s.imageId });
    const list = await client.request<{ conversations: { nodes: { id: string }[] } }>(CONVERSATIONS);
    assert.ok(list.conversations.nodes.some((n) => n.id === made.createConversation.id));
  }),
);

test(
  named('graphql-request: `answer` is a Mutation (queries have no side effects)', '16.6a'),
  stockCase('16.6a', async () => {
    const client = new GraphQLClient(s.api.graphql, { headers: OWNER_HEADERS });
    const ask =
      'mutation ($i: ID!) { answer(imageId: $i, question: "what is it?", options: { maxNewTokens: 3 }) { text } }';
    const r = await client.request<{ answer: { text: string } }>(ask, { i: s.imageId });
    assert.equal(typeof r.answer.text, 'string');
  }),
);

test(
  'Apollo Client (HttpLink, InMemoryCache): a query and a mutation',
  stockCase(undefined, async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: s.api.graphql, headers: OWNER_HEADERS }),
      cache: new InMemoryCache(),
    });
    const q = await client.query({ query: apolloGql(LIMITS) });
    assert.ok((q.data as { limits: { maxUploadBytes: number } }).limits.maxUploadBytes > 0);
    const m = await client.mutate({ mutation: apolloGql(CREATE), variables: { i: s.imageId } });
    assert.ok((m.data as { createConversation: { id: string } }).createConversation.id);
  }),
);

/** curl as the README shows it: JSON POST with the owner header. */
const curlJson = (query: string, variables: object = {}) =>
  run('curl', [
    '-sS',
    s.api.graphql,
    '-H',
    `x-owner-key: ${OWNER_HEADERS['x-owner-key']}`,
    '-H',
    'content-type: application/json',
    '-d',
    JSON.stringify({ query, variables }),
  ]);

test(
  'curl: POST a query and a mutation as JSON',
  stockCase(undefined, async () => {
    const { stdout } = await curlJson(CREATE, { i: s.imageId });
    assert.ok(JSON.parse(stdout).data.createConversation.id, stdout);
    const limits = JSON.parse((await curlJson(LIMITS)).stdout);
    assert.ok(limits.data.limits.maxQuestionChars > 0);
  }),
);

test(
  named('curl: GET a query (GraphQL over HTTP), no extra header', '16.6b'),
  stockCase('16.6b', async () => {
    const { stdout } = await run('curl', [
      '-sS',
      '-G',
      s.api.graphql,
      '-H',
      `x-owner-key: ${OWNER_HEADERS['x-owner-key']}`,
      '--data-urlencode',
      `query=${LIMITS}`,
    ]);
    assert.ok(JSON.parse(stdout).data?.limits, stdout);
  }),
);

test(
  'curl: upload an image as the README shows (multipart, CSRF header)',
  stockCase(undefined, async () => {
    const file = `${REPO}/models/fixtures/images/shapes-640x480.png`;
    const operations = JSON.stringify({
      query: 'mutation ($file: File!) { uploadImage(file: $file) { id width height } }',
      variables: { file: null },
    });
    const { stdout } = await run('curl', [
      '-sS',
      s.api.graphql,
      '-H',
      `x-owner-key: ${OWNER_HEADERS['x-owner-key']}`,
      '-H',
      'x-graphql-yoga-csrf: 1',
      '-F',
      `operations=${operations}`,
      '-F',
      'map={"0":["variables.file"]}',
      '-F',
      `0=@${file}`,
    ]);
    assert.deepEqual(JSON.parse(stdout).data.uploadImage.width, 640, stdout);
  }),
);
