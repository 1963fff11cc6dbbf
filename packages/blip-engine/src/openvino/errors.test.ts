import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fixtureModel } from '../../test/openvino-fixtures.js';
import { Core } from './core.js';
import { OpenVinoError } from './errors.js';
import { Tensor } from './tensor.js';

/** Assert that `fn` throws an OpenVinoError with this status whose message contains every snippet. */
function assertOvError(fn: () => unknown, status: string, ...snippets: string[]): OpenVinoError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof OpenVinoError, `expected an OpenVinoError, got ${String(caught)}`);
  assert.equal(caught.status, status, caught.message);
  for (const s of snippets)
    assert.ok(caught.message.includes(s), `"${caught.message}" should mention "${s}"`);
  return caught;
}

describe('clear errors', () => {
  const core = new Core();
  const scratch = mkdtempSync(join(tmpdir(), 'ov-binding-'));
  const linear = core.compileModelSync(fixtureModel('linear'), 'CPU', { INFERENCE_PRECISION_HINT: 'f32' });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('missing model file: readModelSync, readModel and compileModel name the path', async () => {
    const missing = join(scratch, 'nope.xml');
    assertOvError(() => core.readModelSync(missing), 'INVALID_ARGUMENT', 'model file not found', missing);
    assertOvError(
      () => core.compileModelSync(missing),
      'INVALID_ARGUMENT',
      'compileModel(nope.xml, CPU)',
      missing,
    );
    await assert.rejects(core.readModel(missing), /model file not found/);
  });

  test("a broken IR file surfaces OpenVINO's own status and message", () => {
    const broken = join(scratch, 'broken.xml');
    writeFileSync(broken, '<net name="broken" version="11"><layers><layer id="0"');
    const err = assertOvError(() => core.readModelSync(broken), 'GENERAL_ERROR', `readModel(${broken})`);
    assert.ok(err.nativeMessage && err.nativeMessage.length > 0, 'carries ov_get_last_err_msg()');
  });

  test('unknown device and bad properties', () => {
    const model = core.readModelSync(fixtureModel('linear'));
    const err = assertOvError(
      () => core.compileModelSync(model, 'NO_SUCH_DEVICE'),
      'GENERAL_ERROR',
      'compileModel(linear.xml, NO_SUCH_DEVICE)',
    );
    assert.match(err.nativeMessage ?? '', /NO_SUCH_DEVICE/);
    assertOvError(
      () => core.compileModelSync(model, 'CPU', { PERFORMANCE_HINT: 'FAST' as 'LATENCY' }),
      'INVALID_ARGUMENT',
      'PERFORMANCE_HINT must be one of LATENCY | THROUGHPUT',
      '"FAST"',
    );
    assertOvError(
      () => core.compileModelSync(model, 'CPU', { NUM_STREAMS: 0 }),
      'INVALID_ARGUMENT',
      'NUM_STREAMS',
    );
    const unknown = assertOvError(
      () => core.compileModelSync(model, 'CPU', { NOT_A_PROPERTY: 'x' }),
      'GENERAL_ERROR',
    );
    assert.match(unknown.message, /Unsupported property NOT_A_PROPERTY/);
  });

  test('wrong input name lists the real inputs', () => {
    const request = linear.createInferRequest();
    assertOvError(
      () => request.infer({ pixels: new Tensor('f32', [1, 1, 4]) }),
      'INVALID_ARGUMENT',
      "no input named 'pixels'",
      'inputs are: x',
    );
  });

  test('wrong shape names the input, the expected and the given shape', () => {
    const request = linear.createInferRequest();
    assertOvError(
      () => request.infer({ x: new Tensor('f32', [2, 3, 5]) }),
      'INVALID_ARGUMENT',
      "'x'",
      'expected [?,?,4], got [2,3,5]',
    );
    assertOvError(
      () => request.infer({ x: new Tensor('f32', [12]) }),
      'INVALID_ARGUMENT',
      'expected [?,?,4], got [12]',
    );
  });

  test('wrong element type names the input, the expected and the given type', () => {
    const request = linear.createInferRequest();
    assertOvError(
      () => request.infer({ x: new Tensor('i64', [1, 1, 4]) }),
      'INVALID_ARGUMENT',
      "'x'",
      'expected f32, got i64',
    );
  });

  test('Tensor constructor checks type, shape and data', () => {
    assertOvError(
      () => new Tensor('f32', [2, 3], new Float32Array(5)),
      'INVALID_ARGUMENT',
      'data has 5 elements, shape needs 6',
    );
    assertOvError(
      () => new Tensor('i64', [2], new Float64Array(2)),
      'INVALID_ARGUMENT',
      'i64 data must be a BigInt64Array, got Float64Array',
    );
    assertOvError(() => new Tensor('f16', [2], new Float32Array(2)), 'INVALID_ARGUMENT', 'Uint16Array');
    assertOvError(
      () => new Tensor('f33' as 'f32', [1]),
      'INVALID_ARGUMENT',
      "unsupported element type 'f33'",
    );
    assertOvError(() => new Tensor('f32', [1.5]), 'INVALID_ARGUMENT', 'non-negative integers');
  });

  test('dispose is idempotent and later use says DISPOSED', () => {
    const request = linear.createInferRequest();
    const t = new Tensor('f32', [1, 1, 4]);
    t.dispose();
    t.dispose();
    assertOvError(() => request.setTensor('x', t), 'DISPOSED');
    request.dispose();
    request.dispose();
    assertOvError(() => request.infer(), 'DISPOSED', 'infer(linear.xml on CPU)');
    const m = core.readModelSync(fixtureModel('linear'));
    m.dispose();
    m.dispose();
    assertOvError(() => core.compileModelSync(m), 'DISPOSED');
  });

  test('an output cannot be fed back into the same request without a copy', () => {
    const request = linear.createInferRequest();
    const out = request.infer({ x: new Tensor('f32', [1, 1, 4]) });
    assertOvError(
      () => request.setTensor('x', out.x_sum as Tensor),
      'INVALID_ARGUMENT',
      'copy it into a new Tensor',
    );
  });
});

test('a request outlives the compiled model and core it came from (OpenVINO shares ownership)', () => {
  const core = new Core();
  const compiled = core.compileModelSync(fixtureModel('linear'), 'CPU', { INFERENCE_PRECISION_HINT: 'f32' });
  const request = compiled.createInferRequest();
  compiled.dispose();
  core.dispose();
  const out = request.infer({ x: new Tensor('f32', [1, 1, 4], new Float32Array([1, 2, 3, 4])) });
  assert.equal(out.x_sum?.dataOf(Float32Array)[0], 10);
  request.dispose();
});
