// withElementTypes: a model's inputs and outputs in another element type, the conversion done by OpenVINO.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureModel } from '../../test/openvino-fixtures.js';
import { Core } from './core.js';
import { withElementTypes } from './preprocess.js';
import { Tensor } from './tensor.js';

/** float32 → bfloat16 bits, rounded to nearest even. */
function toBf16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer.slice(0));
  return Uint16Array.from(bits, (b) => (b + 0x7fff + ((b >>> 16) & 1)) >>> 16);
}

/** bfloat16 bits → float32 values (exact). */
function fromBf16(bits: Uint16Array): Float32Array {
  return new Float32Array(Uint32Array.from(bits, (b) => b << 16).buffer);
}

describe('withElementTypes', () => {
  const core = new Core();

  test('bf16 in and out: the f32 model’s result, rounded to bf16 once', async () => {
    const model = await core.readModel(fixtureModel('linear'));
    const typed = withElementTypes(model, { inputs: { x: 'bf16' }, outputs: { y: 'bf16' } });
    assert.deepEqual([typed.input('x').elementType, typed.output('y').elementType], ['bf16', 'bf16']);
    const compiled = await core.compileModel(typed, 'CPU', { INFERENCE_PRECISION_HINT: 'f32' });
    const plain = await core.compileModel(fixtureModel('linear'), 'CPU', { INFERENCE_PRECISION_HINT: 'f32' });
    // Inputs exact in bf16 (multiples of 1/8 up to 2), so only the output is rounded.
    const x = Float32Array.from({ length: 24 }, (_, i) => ((i * 7) % 17) / 8 - 1);
    const expected = plain.createInferRequest().infer({ x: new Tensor('f32', [2, 3, 4], x) }).y;
    const got = compiled.createInferRequest().infer({ x: new Tensor('bf16', [2, 3, 4], toBf16(x)) }).y;
    assert.equal(got?.elementType, 'bf16');
    // Within one step of bf16 (8 significant bits): OpenVINO may truncate rather than round to nearest.
    const want = expected?.data as Float32Array;
    fromBf16(got?.data as Uint16Array).forEach((v, i) => {
      const f = want[i] as number;
      assert.ok(Math.abs(v - f) <= Math.abs(f) * 2 ** -7, `y[${i}] = ${v}, f32 gave ${f}`);
    });
    assert.notDeepEqual(fromBf16(got?.data as Uint16Array), want, 'the output really is bf16');
    for (const m of [model, typed]) m.dispose();
  });

  test('an unknown name is refused before OpenVINO sees it', async () => {
    const model = await core.readModel(fixtureModel('linear'));
    assert.throws(() => withElementTypes(model, { inputs: { nope: 'bf16' } }), /no input 'nope'/);
    assert.throws(() => withElementTypes(model, { outputs: { x: 'bf16' } }), /no output 'x'/);
    model.dispose();
  });
});
