import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReport } from './render.js';

test('the report counts failures and open findings apart, escapes table cells and lists figures before the cases', () => {
  const md = renderReport(
    [
      { kind: 'case', area: 'a', name: 'x | y', expected: 'OK', observed: 'OK', pass: true },
      { kind: 'case', area: 'a', name: 'z', expected: 'OK', observed: 'HTTP 500', pass: false },
      {
        kind: 'case',
        area: 'b',
        name: '#16.5 cookie',
        expected: 'HTTP 200',
        observed: 'HTTP 500',
        pass: false,
        open: '16.5',
      },
      { kind: 'figure', area: 'a', name: 'rss', value: 12.5, unit: 'MiB' },
    ],
    new Date('2026-11-28T08:00:00Z'),
  );
  assert.match(
    md,
    /\*\*3 cases, 1 as expected, 1 open findings \(known, listed in `e2e\/known-open.ts`\), 1 not\.\*\*/,
  );
  assert.match(md, /\| #16\.5 cookie \| HTTP 200 \| HTTP 500 \| open \(#16\.5\) \|/);
  assert.match(md, /\| x \\\| y \| OK \| OK \| ok \|/);
  assert.match(md, /\| z \| OK \| HTTP 500 \| \*\*FAIL\*\* \|/);
  assert.ok(md.indexOf('12.5 MiB') < md.indexOf('## a'));
});
