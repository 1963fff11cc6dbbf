// The UI's operations checked against the API's committed SDL: a renamed field fails here, not in a browser. (Codegen
// checks them too when it generates their types; this also covers the documents as they are sent, fragments included.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildSchema, type DocumentNode, Kind, validate } from 'graphql';
import * as operations from './operations.js';

const sdl = readFileSync(new URL('../../../api/schema.graphql', import.meta.url), 'utf8');
const schema = buildSchema(sdl);

for (const [name, doc] of Object.entries(operations) as [string, DocumentNode][]) {
  // A fragment alone is no request; it is validated inside the operations that spread it.
  if (!doc.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) continue;
  test(`${name} is valid against apps/api/schema.graphql`, () => {
    const errors = validate(schema, doc);
    assert.deepEqual(
      errors.map((e) => e.message),
      [],
    );
  });
}
