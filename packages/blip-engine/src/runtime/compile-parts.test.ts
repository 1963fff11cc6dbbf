// The cross K/V (from the cross-K/V part to the decoder) and the decoder's self-attention cache travel in the
// precision the parts compute in: bf16 at bf16 (half the bytes, no per-step conversions), f32 in the exact mode
// (the golden tests' path, unchanged) and where bf16 is asked of a CPU without it (OpenVINO then computes in f32).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { sceneJpeg } from '../../test/scenes.js';
import { Blip, engineContext } from '../engine/blip.js';
import { core } from './compile-parts.js';

const TINY = resolve(import.meta.dirname, '../../../../models/tiny-vqa');

for (const precision of ['bf16', 'f32'] as const) {
  test(`asked for ${precision}, cross K/V and the self-attention cache are in the precision the parts compute in`, {
    skip: !existsSync(TINY),
  }, async () => {
    const blip = await Blip.load(TINY, { inferencePrecision: precision, verifyHashes: false });
    try {
      const { crossKv, decoder } = engineContext(blip).parts;
      // What OpenVINO computes in: bf16 only where the CPU has it (f32 asked is always f32).
      const computes = decoder.compiled.getProperty('INFERENCE_PRECISION_HINT');
      const bf16 = core().getProperty('CPU', 'OPTIMIZATION_CAPABILITIES').split(' ').includes('BF16');
      assert.equal(computes, precision === 'bf16' && bf16 ? 'bf16' : 'f32');
      assert.equal(blip.info.inferencePrecision, computes, 'the precision reported is the one computed in');
      const crossOut = crossKv.compiled.outputs.filter((p) => p.anyName.startsWith('cross_'));
      const crossIn = decoder.compiled.inputs.filter((p) => p.names.some((n) => n.startsWith('cross_')));
      assert.ok(crossOut.length > 0 && crossIn.length === crossOut.length);
      for (const port of [...crossOut, ...crossIn]) assert.equal(port.elementType, computes, port.anyName);
      // The self-attention cache too: present_* outputs are bound as the next step's past_* inputs as they are.
      const past = decoder.compiled.inputs.filter((p) => p.names.some((n) => n.startsWith('past_')));
      const present = decoder.compiled.outputs.filter((p) => p.names.some((n) => n.startsWith('present_')));
      assert.ok(past.length > 0 && present.length === past.length);
      for (const port of [...past, ...present]) assert.equal(port.elementType, computes, port.anyName);
      // …and an answer runs through them (bound as bf16 tensors at bf16: a mismatch is refused at binding).
      const answer = await blip.answer(await sceneJpeg(0), 'what is in the picture?');
      assert.ok(answer.tokenIds.length > 0);
    } finally {
      await blip.dispose();
    }
  });
}
