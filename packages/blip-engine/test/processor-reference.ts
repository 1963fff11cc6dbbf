// Test helper: the pixel values Hugging Face's BlipImageProcessor (the venv's transformers) gives for image files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../../..');

const SCRIPT = `
import sys
import numpy as np
from PIL import Image
from transformers import BlipImageProcessor
out, size, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
processor = BlipImageProcessor(size={"height": size, "width": size})
for i, path in enumerate(files):
    with Image.open(path) as image:
        processor(image, return_tensors="np")["pixel_values"][0].astype(np.float32).tofile(f"{out}/{i}.f32")
`;

/** `pixel_values[0]` (float32 CHW) that the processor makes for each file at size×size; one Python run for all. */
export function processorPixels(files: string[], size: number): Float32Array[] {
  const out = mkdtempSync(join(tmpdir(), 'blip-pixels-'));
  execFileSync(join(REPO, 'scripts/py'), ['-c', SCRIPT, out, String(size), ...files], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return files.map((_, i) => {
    const bytes = readFileSync(join(out, `${i}.f32`));
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
}

/** Largest and mean absolute difference between two tensors of the same length. */
export function absError(a: Float32Array, b: Float32Array): { max: number; mean: number } {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.length };
}
