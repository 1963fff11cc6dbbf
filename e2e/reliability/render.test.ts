import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReport } from './render.js';

test('the report counts failures, escapes table cells and lists figures before the cases', () => {
  const md = renderReport(
    [
      { kind: 'case', area: 'a', name: 'x | y', expected: 'OK', observed: 'OK', pass: true },
      { kind: 'case', area: 'a', name: 'z', expected: 'OK', observed: 'HTTP 500', pass: false },
      { kind: 'figure', area: 'a', name: 'rss', value: 12.5, unit: 'MiB' },
    ],
    new Date('2026-11-28T08:00:00Z'),
  );
  assert.match(md, /\*\*2 cases, 1 as expected, 1 not\.\*\*/);
  assert.match(md, /\| x \\\| y \| OK \| OK \| ok \|/);
  assert.match(md, /\| z \| OK \| HTTP 500 \| \*\*FAIL\*\* \|/);
  assert.ok(md.indexOf('12.5 MiB') < md.indexOf('## a'));
});
