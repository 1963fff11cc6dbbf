// InferRequest: bind tensors by name, run (on the JS thread or off it), read outputs without copies.

import { callAsync } from './call-async.js';
import { type ElementType, isElementType } from './element-type.js';
import { check, invalid, OpenVinoError } from './errors.js';
import { NativeHandle } from './handle.js';
import { openvino } from './native.js';
import { describePorts, findPort, type Port, type PortOwner } from './port.js';
import { Tensor } from './tensor.js';

/** Tensors by input name. */
export type InferInputs = Record<string, Tensor>;
/** Output tensors by name (every name of a port works; the anyName is the enumerable key). */
export type InferOutputs = Record<string, Tensor>;

/** Where a shape breaks a port's declared partial shape, as text; undefined when it fits. */
function shapeMismatch(port: Port, shape: readonly number[]): string | undefined {
  const ps = port.partialShape;
  if (ps.rankDynamic) return undefined;
  const fits = shape.length === ps.dims.length && ps.dims.every((d, i) => d === -1 || d === shape[i]);
  return fits ? undefined : `expected ${ps.text}, got [${shape.join(',')}]`;
}

/**
 * One inference slot of a compiled model. Output tensors it hands out (infer() results, getTensor()) are borrowed:
 * they stay valid until this request's next infer()/inferAsync() or dispose(), which dispose them. Copy what you keep.
 * Tensors you set stay referenced by the request until replaced, so their memory cannot be collected under it.
 */
export class InferRequest {
  readonly #handle: NativeHandle;
  /** The compiled model it came from (kept referenced so its ports stay at hand). */
  readonly compiledModel: PortOwner;
  readonly #bound = new Map<string, Tensor>();
  #borrowed: Tensor[] = [];
  #busy = false;
  #disposeWhenIdle = false;

  /** @internal CompiledModel.createInferRequest makes these. */
  constructor(ptr: unknown, compiledModel: PortOwner) {
    this.compiledModel = compiledModel;
    this.#handle = new NativeHandle(
      this,
      `InferRequest(${compiledModel.label})`,
      ptr,
      openvino().ov_infer_request_free,
    );
  }

  /** @internal The live ov_infer_request_t pointer (benchmarks compare raw calls against the wrapper). */
  get native(): unknown {
    return this.#handle.ptr;
  }

  /** Bind `tensor` to an input (or output) by any of its names; checks element type and shape first. */
  setTensor(name: string, tensor: Tensor): void {
    const operation = `setTensor(${JSON.stringify(name)}) on ${this.compiledModel.label}`;
    this.#assertIdle(operation);
    const { inputs, outputs } = this.compiledModel;
    const port = findPort(inputs, name) ?? findPort(outputs, name);
    if (!port) throw invalid(operation, `no input named '${name}'; inputs are: ${describePorts(inputs)}`);
    // By index for inputs: OpenVINO would otherwise look the name up among every port again.
    const isInput = inputs.includes(port);
    this.#bind(port, tensor, operation, () =>
      isInput
        ? openvino().ov_infer_request_set_input_tensor_by_index(this.#handle.ptr, port.index, tensor.native)
        : openvino().ov_infer_request_set_tensor(this.#handle.ptr, port.anyName, tensor.native),
    );
  }

  /** Bind an input by position: setInputTensor(tensor) for a single-input model, or setInputTensor(index, tensor). */
  setInputTensor(indexOrTensor: number | Tensor, maybeTensor?: Tensor): void {
    const index = typeof indexOrTensor === 'number' ? indexOrTensor : 0;
    const tensor = typeof indexOrTensor === 'number' ? maybeTensor : indexOrTensor;
    const operation = `setInputTensor(${index}) on ${this.compiledModel.label}`;
    this.#assertIdle(operation);
    const port = this.compiledModel.inputs[index];
    if (!port)
      throw invalid(operation, `no input ${index}; the model has ${this.compiledModel.inputs.length}`);
    this.#bind(port, tensor as Tensor, operation, () =>
      openvino().ov_infer_request_set_input_tensor_by_index(
        this.#handle.ptr,
        index,
        (tensor as Tensor).native,
      ),
    );
  }

  /** The tensor bound to a name (borrowed: valid until the next infer or dispose). */
  getTensor(name: string): Tensor {
    const operation = `getTensor(${JSON.stringify(name)}) on ${this.compiledModel.label}`;
    this.#assertIdle(operation);
    const { inputs, outputs } = this.compiledModel;
    const port = findPort(outputs, name) ?? findPort(inputs, name);
    if (!port) throw invalid(operation, `no tensor named '${name}'; outputs are: ${describePorts(outputs)}`);
    const out: unknown[] = [null];
    check(openvino().ov_infer_request_get_tensor(this.#handle.ptr, port.anyName, out), operation);
    return this.#borrow(out[0], port.anyName);
  }

  /** Output by position (borrowed), default the first. */
  getOutputTensor(index = 0): Tensor {
    const operation = `getOutputTensor(${index}) on ${this.compiledModel.label}`;
    this.#assertIdle(operation);
    const port = this.compiledModel.outputs[index];
    if (!port)
      throw invalid(operation, `no output ${index}; the model has ${this.compiledModel.outputs.length}`);
    const out: unknown[] = [null];
    check(openvino().ov_infer_request_get_output_tensor_by_index(this.#handle.ptr, index, out), operation);
    return this.#borrow(out[0], port.anyName);
  }

  /** Bind `inputs`, run on the calling (JS) thread, return every output (borrowed). */
  infer(inputs?: InferInputs): InferOutputs {
    this.#prepare(inputs, 'infer');
    check(openvino().ov_infer_request_infer(this.#handle.ptr), () => `infer(${this.compiledModel.label})`);
    return this.#collectOutputs();
  }

  /**
   * Bind `inputs`, run on a koffi worker thread (the JS event loop keeps running), resolve with every output
   * (borrowed). While it runs, this request refuses other calls with REQUEST_BUSY; use one request per concurrent call.
   */
  async inferAsync(inputs?: InferInputs): Promise<InferOutputs> {
    this.#prepare(inputs, 'inferAsync');
    this.#busy = true;
    let status: number;
    try {
      status = await callAsync(openvino().ov_infer_request_infer, this.#handle.ptr);
    } finally {
      this.#busy = false;
      if (this.#disposeWhenIdle) this.dispose();
    }
    if (this.#handle.disposed) {
      throw new OpenVinoError(
        'DISPOSED',
        `inferAsync(${this.compiledModel.label})`,
        'request disposed while running',
      );
    }
    check(status, () => `inferAsync(${this.compiledModel.label})`);
    return this.#collectOutputs();
  }

  /** Free the request (idempotent); if an inferAsync is running, it is freed when that finishes. */
  dispose(): void {
    if (this.#busy) {
      this.#disposeWhenIdle = true;
      return;
    }
    this.#releaseBorrowed();
    this.#bound.clear();
    this.#handle.dispose();
  }

  /** Common checks and native binding for setTensor/setInputTensor. */
  #bind(port: Port, tensor: Tensor, operation: string, call: () => number): void {
    if (!(tensor instanceof Tensor)) throw invalid(operation, 'expected a Tensor');
    if (this.#borrowed.includes(tensor)) {
      throw invalid(
        operation,
        `'${port.anyName}' got an output of this same request; copy it into a new Tensor first`,
      );
    }
    if (tensor.elementType !== port.elementType) {
      throw invalid(
        operation,
        `wrong element type for '${port.anyName}': expected ${port.elementType}, got ${tensor.elementType}`,
      );
    }
    const mismatch = shapeMismatch(port, tensor.shape);
    if (mismatch) throw invalid(operation, `wrong shape for '${port.anyName}': ${mismatch}`);
    check(call(), operation);
    this.#bound.set(port.anyName, tensor);
  }

  /** Before a run: not busy, borrowed outputs of the last run released, inputs bound. */
  #prepare(inputs: InferInputs | undefined, method: string): void {
    this.#assertIdle(`${method}(${this.compiledModel.label})`);
    this.#releaseBorrowed();
    for (const [name, tensor] of Object.entries(inputs ?? {})) this.setTensor(name, tensor);
  }

  /** Every output after a run, keyed by anyName, other names as non-enumerable aliases. */
  #collectOutputs(): InferOutputs {
    const outputs: InferOutputs = {};
    const ov = openvino();
    for (const port of this.compiledModel.outputs) {
      const out: unknown[] = [null];
      check(
        ov.ov_infer_request_get_output_tensor_by_index(this.#handle.ptr, port.index, out),
        () => `output '${port.anyName}'`,
      );
      const type = isElementType(port.elementType) ? port.elementType : undefined;
      const tensor = this.#borrow(out[0], port.anyName, type);
      outputs[port.anyName] = tensor;
      for (const alias of port.names.slice(1))
        Object.defineProperty(outputs, alias, { value: tensor, enumerable: false });
    }
    return outputs;
  }

  /** Wrap a tensor handle that this request lent us; it is disposed at the next run. */
  #borrow(ptr: unknown, name: string, type?: ElementType): Tensor {
    const tensor = Tensor.adopt(ptr, `'${name}' of ${this.compiledModel.label}`, type);
    this.#borrowed.push(tensor);
    return tensor;
  }

  /** Dispose every tensor lent out since the last run. */
  #releaseBorrowed(): void {
    for (const tensor of this.#borrowed) tensor.dispose();
    this.#borrowed = [];
  }

  /** Refuse to touch the request while an inferAsync runs on it (OpenVINO would answer REQUEST_BUSY anyway). */
  #assertIdle(operation: string): void {
    if (this.#busy)
      throw new OpenVinoError('REQUEST_BUSY', operation, 'an inferAsync() is still running on this request');
    if (this.#handle.disposed) throw new OpenVinoError('DISPOSED', operation, 'used after dispose()');
  }
}
