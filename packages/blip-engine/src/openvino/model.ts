// Model: a read (not yet compiled) network and its port descriptors.
import { basename } from 'node:path';
import { invalid } from './errors.js';
import { NativeHandle } from './handle.js';
import { irTensorNames } from './ir-names.js';
import { openvino } from './native.js';
import { describePorts, findPort, type Port, readPorts } from './port.js';

/** A model read from an IR file; pass it to Core.compileModel. Free it with dispose() once compiled. */
export class Model {
  readonly #handle: NativeHandle;
  /** The .xml it came from. */
  readonly path: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];

  /** @internal Core.readModel makes these. */
  constructor(ptr: unknown, path: string) {
    const ov = openvino();
    this.path = path;
    this.#handle = new NativeHandle(this, `Model(${basename(path)})`, ptr, ov.ov_model_free);
    const names = irTensorNames(path);
    const extra = (n: string) => names.get(n) ?? [];
    const what = `readModel(${basename(path)})`;
    this.inputs = readPorts(
      { owner: ptr, count: ov.ov_model_inputs_size, byIndex: ov.ov_model_const_input_by_index },
      what,
      extra,
    );
    this.outputs = readPorts(
      { owner: ptr, count: ov.ov_model_outputs_size, byIndex: ov.ov_model_const_output_by_index },
      what,
      extra,
    );
  }

  /** @internal The live ov_model_t pointer. */
  get native(): unknown {
    return this.#handle.ptr;
  }

  /** An input by name or index (no argument: the only input); throws naming the choices when absent. */
  input(key?: string | number): Port {
    return pick(this.inputs, key, 'input', `Model(${basename(this.path)})`);
  }

  /** An output by name or index (no argument: the only output). */
  output(key?: string | number): Port {
    return pick(this.outputs, key, 'output', `Model(${basename(this.path)})`);
  }

  /** Free the native model now (idempotent). Compiled models made from it stay valid. */
  dispose(): void {
    this.#handle.dispose();
  }
}

/** Shared by Model and CompiledModel: find a port or throw a clear error. */
export function pick(
  ports: readonly Port[],
  key: string | number | undefined,
  side: string,
  what: string,
): Port {
  if (key === undefined) {
    if (ports.length === 1 && ports[0]) return ports[0];
    throw invalid(
      `${what}.${side}()`,
      `the model has ${ports.length} ${side}s (${describePorts(ports)}); name one`,
    );
  }
  const port = findPort(ports, key);
  if (!port)
    throw invalid(
      `${what}.${side}(${JSON.stringify(key)})`,
      `no such ${side}; ${side}s are: ${describePorts(ports)}`,
    );
  return port;
}
