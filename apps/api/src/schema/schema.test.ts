import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printSdl, schema } from './index.js';

test('the committed schema.graphql is the schema the code builds (run `npm run schema -w @blip/api -- --write`)', () => {
  const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
  assert.equal(printSdl(), committed);
});

test('the public contract the web app relies on is present', () => {
  const sdl = printSdl();
  for (const line of [
    'uploadImage(file: File!): Image!',
    'deleteImage(id: ID!): ID!',
    'captionStream(\n    conversationId: ID\n    imageId: ID!\n    options: GenerationOptions\n',
    'answerStream(\n    conversationId: ID\n    imageId: ID!\n    options: GenerationOptions\n    question: String!\n',
    '    replaces: ID\n  ): StreamEvent!',
    'replaces: ID\n  status: TurnStatus!',
    '  search: String\n  ): ConversationConnection!',
    '): ImageConnection!',
    'deleteConversation(id: ID!): ID!',
    '  title: String\n  ): Conversation!',
    'union StreamEvent = StreamAnswering | StreamCompleted | StreamImage | StreamQueued | StreamStarted | StreamToken',
    'code: ErrorCode!',
  ]) {
    assert.ok(sdl.includes(line), `schema lacks: ${line}`);
  }
});

test('queries have no side effects: caption and answer are mutations, and Query has only reads', () => {
  const query = schema.getQueryType()?.getFields() ?? {};
  const mutation = schema.getMutationType()?.getFields() ?? {};
  assert.deepEqual(Object.keys(query).sort(), [
    'conversation',
    'conversations',
    'image',
    'images',
    'limits',
    'models',
    'searchImages', // a read: the feature vectors it may store are a cache of what the engine computes
  ]);
  for (const name of ['caption', 'answer']) assert.ok(mutation[name], `Mutation.${name}`);
});
