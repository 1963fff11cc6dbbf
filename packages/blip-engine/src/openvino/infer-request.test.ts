import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixtureModel, type JsonArray, loadReference, tensorFromJson } from '../../test/openvino-fixtures.js';
import type { CompiledModel } from './compiled-model.js';
import { Core } from './core.js';
import { fromFloat16Array } from './float16.js';
import { Tensor } from './tensor.js';

const F32 = { INFERENCE_PRECISION_HINT: 'f32', PERFORMANCE_HINT: 'LATENCY', NUM_STREAMS: 1 } as const;
const reference = loadReference();
const TOL = reference.tolerance.f32_abs;

/** Compare an output tensor with a NumPy array: same shape, f32 within TOL, everything else exact. */
function assertMatches(got: Tensor, want: JsonArray, label: string): void {
  assert.deepEqual(got.shape, want.shape, `${label} shape`);
  const values =
    got.elementType === 'f16'
      ? Array.from(fromFloat16Array(got.data as Uint16Array))
      : Array.from(got.data, Number);
  assert.equal(values.length, want.data.length, `${label} length`);
  for (let i = 0; i < values.length; i++) {
    const ok =
      want.dtype === 'float32'
        ? Math.abs((values[i] as number) - (want.data[i] as number)) <= TOL
        : values[i] === want.data[i];
    assert.ok(ok, `${label}[${i}]: got ${values[i]}, want ${want.data[i]}`);
  }
}

describe('InferRequest against the NumPy reference', () => {
  const core = new Core();
  let linear: CompiledModel;
  before(() => {
    linear = core.compileModelSync(fixtureModel('linear'), 'CPU', F32);
  });
  after(() => core.dispose());

  test('linear: two batch sizes on one compiled model (dynamic batch and sequence), both outputs', () => {
    const request = linear.createInferRequest();
    assert.equal(reference.linear.length, 2);
    for (const [k, c] of reference.linear.entries()) {
      const outputs = request.infer({ x: tensorFromJson(c.inputs.x as JsonArray) });
      assertMatches(outputs.y as Tensor, c.outputs.y as JsonArray, `case ${k} y`);
      assertMatches(outputs.x_sum as Tensor, c.outputs.x_sum as JsonArray, `case ${k} x_sum`);
    }
    request.dispose();
  });

  test('i64 in, i64 and f32 out', () => {
    const request = core.compileModelSync(fixtureModel('ids'), 'CPU', F32).createInferRequest();
    const c = reference.ids[0];
    assert.ok(c);
    const outputs = request.infer({ input_ids: tensorFromJson(c.inputs.input_ids as JsonArray) });
    assert.equal(outputs.next_ids?.elementType, 'i64');
    assertMatches(outputs.next_ids as Tensor, c.outputs.next_ids as JsonArray, 'next_ids');
    assertMatches(outputs.ids_f32 as Tensor, c.outputs.ids_f32 as JsonArray, 'ids_f32');
  });

  test('f16, i32 and u8 round-trip with their own element types', () => {
    const request = core.compileModelSync(fixtureModel('types'), 'CPU', F32).createInferRequest();
    const c = reference.types[0];
    assert.ok(c);
    const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, tensorFromJson(v)]));
    const outputs = request.infer(inputs);
    assert.deepEqual(
      ['h_out', 'i_out', 'u_out'].map((n) => outputs[n]?.elementType),
      ['f16', 'i32', 'u8'],
    );
    for (const name of ['h_out', 'i_out', 'u_out'])
      assertMatches(outputs[name] as Tensor, c.outputs[name] as JsonArray, name);
  });

  test('every name of a port reaches the same output; ports describe names, types and dynamic dims', () => {
    assert.deepEqual(linear.input().partialShape.dims, [-1, -1, 4]);
    assert.equal(linear.input('x').partialShape.text, '[?,?,4]');
    const y = linear.output('y');
    assert.deepEqual([...y.names].sort(), ['scores', 'y']);
    assert.equal(y.elementType, 'f32');
    const outputs = linear.createInferRequest().infer({ x: new Tensor('f32', [1, 2, 4]) });
    assert.equal(outputs.y, outputs.scores);
    assert.deepEqual(Object.keys(outputs).sort(), [y.anyName, 'x_sum'].sort());
  });

  test('input tensors are read in place: writing into the array changes the next result', () => {
    const request = linear.createInferRequest();
    const data = new Float32Array([1, 2, 3, 4]);
    const x = new Tensor('f32', [1, 1, 4], data);
    assert.equal(x.data, data, 'the tensor hands back the very array it wraps');
    assert.equal(request.infer({ x }).x_sum?.data[0], 10);
    data[0] = 101;
    assert.equal(request.infer().x_sum?.data[0], 110);
  });

  test('output data is a view on OpenVINO memory, not a copy', () => {
    const request = linear.createInferRequest();
    request.infer({ x: new Tensor('f32', [1, 1, 4], new Float32Array([1, 2, 3, 4])) });
    const a = request.getTensor('x_sum').data;
    const b = request.getTensor('x_sum').data;
    assert.notEqual(a, b);
    a[0] = 42;
    assert.equal(b[0], 42, 'two handles of one output see the same memory');
  });

  test('setInputTensor by position, getOutputTensor by position', () => {
    const request = linear.createInferRequest();
    request.setInputTensor(new Tensor('f32', [1, 1, 4], new Float32Array([1, 1, 1, 1])));
    request.setInputTensor(0, new Tensor('f32', [1, 1, 4], new Float32Array([2, 2, 2, 2])));
    request.infer();
    assert.equal(request.getOutputTensor(1).data[0], 8);
  });
});

test('dataOf gives the exact TypedArray class or a clear error', () => {
  const t = new Tensor('i64', [2], new BigInt64Array([5n, 6n]));
  const ids: BigInt64Array = t.dataOf(BigInt64Array);
  assert.equal(ids[1], 6n);
  assert.throws(() => t.dataOf(Float32Array), /this i64 tensor holds a BigInt64Array/);
});

test('a tensor over a subarray reads from the right offset', () => {
  const core = new Core();
  const request = core.compileModelSync(fixtureModel('linear'), 'CPU', F32).createInferRequest();
  const backing = Float32Array.from({ length: 12 }, (_, i) => i);
  const x = new Tensor('f32', [1, 1, 4], backing.subarray(8, 12));
  assert.equal(request.infer({ x }).x_sum?.dataOf(Float32Array)[0], 8 + 9 + 10 + 11);
});
