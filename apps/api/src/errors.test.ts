import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from './config.js';
import { ERROR_CODES } from './errors.js';
import { schema } from './schema/index.js';

test("README's error table, the ErrorCode enum and the contract table list the same codes and statuses", () => {
  const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.*) \|$/gm)].map((m) => [
    m[1],
    Number(m[2]),
    m[3],
  ]);
  assert.deepEqual(
    rows,
    Object.entries(ERROR_CODES).map(([code, { status, doc }]) => [code, status, doc]),
  );
  const enumValues = (
    schema.getType('ErrorCode') as unknown as { getValues(): { name: string }[] }
  ).getValues();
  assert.deepEqual(enumValues.map((v) => v.name).sort(), Object.keys(ERROR_CODES).sort());
});
