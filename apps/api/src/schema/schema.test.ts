import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printSdl } from './index.js';

test('the committed schema.graphql is the schema the code builds (run `npm run schema -w @blip/api -- --write`)', () => {
  const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
  assert.equal(printSdl(), committed);
});

test('the public contract the web app relies on is present', () => {
  const sdl = printSdl();
  for (const line of [
    'uploadImage(file: File!): Image!',
    'caption(\n',
    'captionStream(conversationId: ID, imageId: ID!, options: GenerationOptions): StreamEvent!',
    'answerStream(conversationId: ID, imageId: ID!, options: GenerationOptions, question: String!): StreamEvent!',
    'conversations(after: String, first: Int): ConversationConnection!',
    'deleteConversation(id: ID!): ID!',
    'union StreamEvent = StreamCompleted | StreamStarted | StreamToken',
  ]) {
    assert.ok(sdl.includes(line), `schema lacks: ${line}`);
  }
});
