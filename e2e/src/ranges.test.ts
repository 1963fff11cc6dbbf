// One rulebook for generation options: the engine's table (GENERATION_OPTIONS), what the API publishes (limits.options,
// and the GenerationOptions input of its schema) and what the web form enforces (each field's min/max and its
// out-of-range check) must agree. A range changed in one place only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GENERATION_OPTIONS } from '@blip/engine';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import { graphql } from './apiClient.js';
import type { ChatPage } from './pages/chat.js';
import { REPO } from './servers.js';
import { type Stack, startStack } from './stack.js';

interface Published {
  name: string;
  type: string;
  min: number | null;
  max: number | null;
  strategies: string[];
}

let stack: Stack;
let chat: ChatPage;
let published: Published[];

describe('option ranges: engine, API and web form agree', { timeout: 300_000 }, () => {
  before(async () => {
    stack = await startStack();
    const data = await graphql<{ limits: { options: Published[] } }>(
      stack.api.url,
      'e2e-ranges-owner-0123456789',
      '{ limits { options { name type min max strategies } } }',
    );
    published = data.limits.options;
    chat = await stack.open();
  });

  after(async () => {
    await stack?.stop();
  });

  test('the API publishes exactly the engine table: names, types, ranges and strategies', () => {
    const engine = GENERATION_OPTIONS.map((o) => ({
      name: o.name,
      type: o.type.toUpperCase(),
      min: o.min ?? null,
      max: o.max ?? null,
      strategies: o.appliesTo === 'all' ? ['BEAM', 'GREEDY', 'SAMPLE'] : [o.appliesTo.toUpperCase()],
    }));
    const api = published
      .filter((o) => engine.some((e) => e.name === o.name))
      .map((o) => ({ ...o, strategies: [...o.strategies].sort() }));
    assert.deepEqual(
      [...api].sort((a, b) => a.name.localeCompare(b.name)),
      [...engine].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  test('every option of the schema’s GenerationOptions input is published with a range', () => {
    const schema = buildSchema(readFileSync(join(REPO, 'apps', 'api', 'schema.graphql'), 'utf8'));
    const input = schema.getType('GenerationOptions') as GraphQLInputObjectType;
    const names = new Set(published.map((o) => o.name));
    // model and precision choose a model, not how it generates: their values are listed by `models`.
    const missing = Object.keys(input.getFields()).filter(
      (f) => !names.has(f) && f !== 'model' && f !== 'precision',
    );
    assert.deepEqual(missing, []);
  });

  test('the web form shows the published range on every numeric field, and flags a value just outside it', async () => {
    await chat.goto('/');
    await chat.openSettings();
    // The form fills in once the page has the server's limits.
    await chat.page.getByTestId('setting-maxNewTokens').waitFor();
    const numeric = published.filter((o) => o.type !== 'ENUM');
    for (const strategy of ['GREEDY', 'BEAM', 'SAMPLE']) {
      await chat.page.getByTestId('setting-strategy').selectOption(strategy);
      for (const o of numeric.filter((n) => n.strategies.includes(strategy))) {
        const field = chat.page.getByTestId(`setting-${o.name}`);
        assert.equal(await field.count(), 1, `the form has a field for ${o.name} (${strategy})`);
        assert.equal(await field.getAttribute('min'), o.min === null ? null : String(o.min), `${o.name} min`);
        // numReturnSequences is further bounded by numBeams, which the form fills in for beam search.
        if (o.name !== 'numReturnSequences')
          assert.equal(
            await field.getAttribute('max'),
            o.max === null ? null : String(o.max),
            `${o.name} max`,
          );
        if (o.max !== null && o.name !== 'numReturnSequences') {
          await field.fill(String(o.max + 1));
          await chat.page.getByTestId(`invalid-${o.name}`).waitFor();
          await field.fill(String(o.max));
          await chat.page.getByTestId(`invalid-${o.name}`).waitFor({ state: 'detached' });
          await field.fill('');
        }
      }
    }
  });
});
