// The UI's operations checked against the API's committed SDL: a renamed field fails here, not in a browser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildSchema, type DocumentNode, validate } from 'graphql';
import * as operations from './operations.js';

const sdl = readFileSync(new URL('../../../api/schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(sdl);

for (const [name, doc] of Object.entries(operations)) {
  test(`${name} is valid against apps/api/schema.graphql`, () => {
    const errors = validate(schema, doc as DocumentNode);
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
    );
  });
}
