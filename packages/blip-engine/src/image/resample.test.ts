// resampleRgb must equal Pillow's Image.resize byte for byte: random sizes (up- and downscaling, both pass
// orders, tiny and lopsided images), random pixels, checked against the venv's Pillow in one Python run.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type ResampleFilter, resampleRgb, verticalFirst } from './resample.js';

const REPO = resolve(import.meta.dirname, '../../../..');

const SCRIPT = `
import json, sys
import numpy as np
from PIL import Image
folder, cases = sys.argv[1], json.loads(sys.argv[2])
for i, (w, h, ow, oh, f) in enumerate(cases):
    a = np.fromfile(f"{folder}/{i}.in", dtype=np.uint8).reshape(h, w, 3)
    flt = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "nearest": Image.NEAREST}[f]
    np.asarray(Image.fromarray(a, "RGB").resize((ow, oh), flt)).tofile(f"{folder}/{i}.out")
`;

type Case = [number, number, number, number, ResampleFilter];

describe('resampleRgb equals Pillow byte for byte', () => {
  test('random sizes and pixels, bicubic, bilinear and nearest', async () => {
    const size = fc.integer({ min: 1, max: 160 });
    const cases = fc.sample(
      fc.tuple(
        size,
        size,
        size,
        size,
        fc.constantFrom<ResampleFilter>('bicubic', 'bicubic', 'bilinear', 'nearest'),
      ),
      {
        seed: 42,
        numRuns: 80,
      },
    ) as Case[];
    cases.push(
      [300, 800, 64, 64, 'bicubic'],
      [640, 480, 384, 384, 'bicubic'],
      [1, 1, 384, 384, 'bicubic'],
      [100, 100, 90, 80, 'bicubic'],
    );
    const dir = mkdtempSync(join(tmpdir(), 'blip-resample-'));
    const inputs = cases.map(([w, h], i) => {
      const bytes = new Uint8Array(w * h * 3).map((_, k) => (k * 2654435761 + i * 97) >>> 24);
      writeFileSync(join(dir, `${i}.in`), bytes);
      return bytes;
    });
    execFileSync(join(REPO, 'scripts/py'), ['-c', SCRIPT, dir, JSON.stringify(cases)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let verticalFirstCases = 0;
    for (const [i, [w, h, ow, oh, filter]] of cases.entries()) {
      const ours = await resampleRgb(inputs[i] as Uint8Array, w, h, ow, oh, filter);
      const pillow = new Uint8Array(readFileSync(join(dir, `${i}.out`)));
      assert.deepEqual(ours, pillow, `${w}×${h} → ${ow}×${oh} ${filter}`);
      if (w !== ow && verticalFirst(w, h, ow, oh)) verticalFirstCases++;
    }
    assert.ok(verticalFirstCases >= 5, `only ${verticalFirstCases} cases took Pillow's vertical-first order`);
  });
});

describe('resampleRgb shares the event loop', () => {
  test('a 6-megapixel resize lets other callbacks run between slices of work', async () => {
    const [w, h] = [3000, 2000];
    const src = new Uint8Array(w * h * 3).map((_, k) => (k * 2654435761) >>> 24);
    // Counting turns of a self-rescheduling callback is immune to how busy the shared cores are; a wall-clock
    // stall threshold was not (unsliced, the count is 0 or 1: the whole resize runs in one turn).
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const started = performance.now();
    await resampleRgb(src, w, h, 384, 384, 'bicubic');
    running = false;
    const ms = performance.now() - started;
    console.log(`3000×2000 → 384×384: ${ms.toFixed(0)} ms, ${turns} event-loop turns for other work`);
    assert.ok(turns >= 20, `only ${turns} turns of the event loop during the resize`);
  });
});
