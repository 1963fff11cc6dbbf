import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLoadOptions } from './check-load-options.js';
import { compileProperties, DEFAULT_LOAD_OPTIONS, precisionHint, serialInference } from './load-options.js';

test("precision 'auto' leaves FP16/FP32 folders to OpenVINO's default and gives INT8 folders the f32 hint", () => {
  assert.equal(DEFAULT_LOAD_OPTIONS.inferencePrecision, 'auto');
  assert.equal(precisionHint('auto', ['fp16', 'fp16', 'fp16', 'fp16']), undefined);
  assert.equal(precisionHint('auto', ['fp32', 'fp32']), undefined);
  assert.equal(precisionHint('auto', ['int8', 'int8', 'fp16', 'int8']), 'f32');
  assert.equal(compileProperties({}, ['fp16']).INFERENCE_PRECISION_HINT, undefined);
  assert.equal(compileProperties({}, ['int8']).INFERENCE_PRECISION_HINT, 'f32');
});

test('an explicit precision wins over the folder (f32 is the exact mode the golden tests use)', () => {
  assert.equal(precisionHint('f32', ['fp16']), 'f32');
  assert.equal(precisionHint('bf16', ['int8']), 'bf16');
  assert.equal(compileProperties({ inferencePrecision: 'f32' }, ['fp16']).INFERENCE_PRECISION_HINT, 'f32');
});

test('an unknown precision is refused naming the setting and the choices', () => {
  assert.doesNotThrow(() => checkLoadOptions({ inferencePrecision: 'auto' }));
  assert.throws(
    () => checkLoadOptions({ inferencePrecision: 'f16' as never }),
    /inferencePrecision: .*"auto"\|"f32"\|"bf16".*\(got "f16"\)/,
  );
});

test('runs take turns by default, not when streams are to share the cores, and as asked', () => {
  assert.equal(serialInference({}), true);
  assert.equal(serialInference({ performanceHint: 'THROUGHPUT' }), false);
  assert.equal(serialInference({ numStreams: 2 }), false);
  assert.equal(serialInference({ numStreams: 2, serialInference: true }), true);
  assert.equal(serialInference({ serialInference: false }), false);
  assert.throws(() => checkLoadOptions({ serialInference: 'yes' } as never), /serialInference/);
});

test('INT8 folders get a dynamic-quantization group size (default 256, or as asked); others none', () => {
  assert.equal(compileProperties({}, ['int8', 'fp16']).DYNAMIC_QUANTIZATION_GROUP_SIZE, 256);
  assert.equal(
    compileProperties({ dynamicQuantizationGroupSize: 0 }, ['int8']).DYNAMIC_QUANTIZATION_GROUP_SIZE,
    0,
  );
  assert.equal(compileProperties({}, ['fp16']).DYNAMIC_QUANTIZATION_GROUP_SIZE, undefined);
  assert.throws(() => checkLoadOptions({ dynamicQuantizationGroupSize: -1 }), /dynamicQuantizationGroupSize/);
});
