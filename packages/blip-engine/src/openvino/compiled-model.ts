// CompiledModel: a model loaded onto a device, ready to make infer requests.
import { check } from './errors.js';
import { NativeHandle } from './handle.js';
import { InferRequest } from './infer-request.js';
import { pick } from './model.js';
import { openvino, takeString } from './native.js';
import { type Port, readPorts } from './port.js';

/** A model compiled for one device with fixed properties. Requests made from it stay valid after its dispose(). */
export class CompiledModel {
  readonly #handle: NativeHandle;
  /** What it was compiled from, for messages: "vision_model.xml on CPU". */
  readonly label: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];

  /** @internal Core.compileModel makes these; `extraNames` gives every IR name of a port. */
  constructor(ptr: unknown, label: string, extraNames: (name: string) => string[]) {
    const ov = openvino();
    this.label = label;
    this.#handle = new NativeHandle(this, `CompiledModel(${label})`, ptr, ov.ov_compiled_model_free);
    const what = `CompiledModel(${label})`;
    this.inputs = readPorts(
      { owner: ptr, count: ov.ov_compiled_model_inputs_size, byIndex: ov.ov_compiled_model_input_by_index },
      what,
      extraNames,
    );
    this.outputs = readPorts(
      { owner: ptr, count: ov.ov_compiled_model_outputs_size, byIndex: ov.ov_compiled_model_output_by_index },
      what,
      extraNames,
    );
  }

  /** An input by name or index (no argument: the only input). */
  input(key?: string | number): Port {
    return pick(this.inputs, key, 'input', `CompiledModel(${this.label})`);
  }

  /** An output by name or index (no argument: the only output). */
  output(key?: string | number): Port {
    return pick(this.outputs, key, 'output', `CompiledModel(${this.label})`);
  }

  /** A property as OpenVINO reports it, e.g. getProperty('INFERENCE_PRECISION_HINT') → 'f32'. */
  getProperty(key: string): string {
    const out: unknown[] = [null];
    check(
      openvino().ov_compiled_model_get_property(this.#handle.ptr, key, out),
      `CompiledModel(${this.label}).getProperty(${key})`,
    );
    return takeString(out[0]) ?? '';
  }

  /** A new request: its own input/output memory; use one per concurrent inference. */
  createInferRequest(): InferRequest {
    const out: unknown[] = [null];
    check(
      openvino().ov_compiled_model_create_infer_request(this.#handle.ptr, out),
      `CompiledModel(${this.label}).createInferRequest()`,
    );
    return new InferRequest(out[0], this);
  }

  /** Free the native compiled model now (idempotent). */
  dispose(): void {
    this.#handle.dispose();
  }
}
