// The independent renderer draws what the spec says: each object's named colour appears inside its disc (read back
// from the pixels sharp produced), nothing saturated appears far from every object, and a spec always renders the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { renderScene, type SceneSpec, type SpecObject, sceneSvg } from './render-svg.js';

/** Hue ranges (degrees) a person would call by each name; red wraps around 0. */
const HUES: Record<SpecObject['colour'], [number, number]> = {
  red: [340, 15],
  green: [85, 160],
  blue: [200, 250],
  yellow: [40, 65],
  purple: [260, 310],
};

function hueSat(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  if (d === 0) return [0, 0];
  let h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h = (h * 60 + 360) % 360;
  return [h, max === 0 ? 0 : d / max];
}

function named(colour: SpecObject['colour'], h: number, s: number): boolean {
  const [lo, hi] = HUES[colour];
  return s > 0.45 && (lo <= hi ? h >= lo && h <= hi : h >= lo || h <= hi);
}

const SPEC: SceneSpec = {
  width: 240,
  height: 160,
  background: 'any',
  style_seed: 0,
  objects: [
    { shape: 'circle', colour: 'red', x: 0.2, y: 0.3, radius: 0.12 },
    { shape: 'square', colour: 'blue', x: 0.5, y: 0.7, radius: 0.12 },
    { shape: 'triangle', colour: 'yellow', x: 0.8, y: 0.3, radius: 0.12 },
    { shape: 'circle', colour: 'purple', x: 0.85, y: 0.8, radius: 0.1 },
    { shape: 'square', colour: 'green', x: 0.2, y: 0.78, radius: 0.1 },
  ],
};

test('every object shows its colour inside its disc, and the background stays unsaturated', async () => {
  for (let seed = 0; seed < 12; seed++) {
    for (const background of ['any', 'white', 'dark'] as const) {
      const spec = { ...SPEC, style_seed: seed, background };
      const { bytes } = await renderScene(spec);
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height], [spec.width, spec.height]);
      const hits = new Map<SpecObject, number>(spec.objects.map((o) => [o, 0]));
      for (let y = 0; y < info.height; y++) {
        for (let x = 0; x < info.width; x++) {
          const i = 3 * (y * info.width + x);
          const [h, s] = hueSat(data[i] as number, data[i + 1] as number, data[i + 2] as number);
          const inside = spec.objects.find(
            (o) => Math.hypot(x - o.x * info.width, y - o.y * info.height) <= o.radius * 160 + 5,
          );
          if (inside && named(inside.colour, h, s)) hits.set(inside, (hits.get(inside) ?? 0) + 1);
          const rgb = [data[i], data[i + 1], data[i + 2]] as number[];
          // Far from every object nothing is a vivid colour (near-black pixels have no meaningful hue).
          if (!inside)
            assert.ok(s < 0.45 || Math.max(...rgb) < 80, `seed ${seed} ${background}: ${rgb} at ${x},${y}`);
        }
      }
      for (const [o, n] of hits)
        assert.ok(
          n >= 20,
          `seed ${seed} ${background}: ${o.colour} ${o.shape} shows ${n} pixels of its colour`,
        );
    }
  }
});

test('a spec always renders to the same picture, and different style seeds differ', async () => {
  assert.equal(sceneSvg(SPEC), sceneSvg({ ...SPEC }));
  assert.deepEqual((await renderScene(SPEC)).bytes, (await renderScene(SPEC)).bytes);
  const svgs = new Set([0, 1, 2, 3, 4].map((style_seed) => sceneSvg({ ...SPEC, style_seed })));
  assert.ok(svgs.size >= 4);
});
