// Core: the OpenVINO runtime entry point — version, devices, reading and compiling models.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import koffi from 'koffi';
import { callAsync } from './call-async.js';
import { CompiledModel } from './compiled-model.js';
import { check, invalid } from './errors.js';
import { NativeHandle } from './handle.js';
import { irTensorNames } from './ir-names.js';
import { Model } from './model.js';
import { cString, openvino, takeString } from './native.js';
import { type CompileProperties, toNativeProperties } from './properties.js';

/** OpenVINO's build number and description. */
export interface Version {
  buildNumber: string;
  description: string;
}

/** The runtime's version (no Core needed). */
export function getVersion(): Version {
  const ov = openvino();
  const v = { buildNumber: null, description: null };
  check(ov.ov_get_openvino_version(v), 'getVersion()');
  const version = { buildNumber: cString(v.buildNumber) ?? '', description: cString(v.description) ?? '' };
  ov.ov_version_free(v);
  return version;
}

/** Throw a clear error when a model file is missing, before OpenVINO's longer message. */
function assertFile(path: string, operation: string): void {
  if (typeof path !== 'string' || path.length === 0)
    throw invalid(operation, 'model path must be a non-empty string');
  if (!existsSync(path)) throw invalid(operation, `model file not found: ${path}`);
}

/** The OpenVINO runtime: reads and compiles models. One per process is plenty. */
export class Core {
  readonly #handle: NativeHandle;

  /** Create the runtime (loads libopenvino_c on first use; throws a how-to-fix error when it is missing). */
  constructor() {
    const ov = openvino();
    const out: unknown[] = [null];
    check(ov.ov_core_create(out), 'new Core()');
    this.#handle = new NativeHandle(this, 'Core', out[0], ov.ov_core_free);
  }

  /** OpenVINO's build number and description. */
  get version(): Version {
    return getVersion();
  }

  /** Device names OpenVINO can use here, e.g. ['CPU']. */
  getAvailableDevices(): string[] {
    const ov = openvino();
    const list = { devices: null, size: 0 };
    check(ov.ov_core_get_available_devices(this.#handle.ptr, list), 'getAvailableDevices()');
    const names =
      list.size > 0
        ? (koffi.decode(list.devices, koffi.array('char *', Number(list.size), 'Array')) as string[])
        : [];
    ov.ov_available_devices_free(list);
    return names;
  }

  /** A device's property as OpenVINO reports it, e.g. getProperty('CPU', 'INFERENCE_PRECISION_HINT') → 'bf16'. */
  getProperty(device: string, key: string): string {
    const out: unknown[] = [null];
    check(
      openvino().ov_core_get_property(this.#handle.ptr, device, key, out),
      `Core.getProperty(${device}, ${key})`,
    );
    return takeString(out[0]) ?? '';
  }

  /** Read an IR model (.xml, weights from `binPath` or the .bin beside it) on the calling thread. */
  readModelSync(xmlPath: string, binPath?: string): Model {
    const operation = `readModel(${xmlPath})`;
    assertFile(xmlPath, operation);
    if (binPath !== undefined) assertFile(binPath, operation);
    const out: unknown[] = [null];
    check(openvino().ov_core_read_model(this.#handle.ptr, xmlPath, binPath ?? null, out), operation);
    return new Model(out[0], xmlPath);
  }

  /** Read an IR model on a worker thread (big models take a while to parse). */
  async readModel(xmlPath: string, binPath?: string): Promise<Model> {
    const operation = `readModel(${xmlPath})`;
    assertFile(xmlPath, operation);
    if (binPath !== undefined) assertFile(binPath, operation);
    const out: unknown[] = [null];
    check(
      await callAsync(openvino().ov_core_read_model, this.#handle.ptr, xmlPath, binPath ?? null, out),
      operation,
    );
    return new Model(out[0], xmlPath);
  }

  /** Compile a Model or an .xml path for a device, on the calling thread. */
  compileModelSync(model: Model | string, device = 'CPU', properties: CompileProperties = {}): CompiledModel {
    const { fn, args, label, operation, names } = this.#compileCall(model, device, properties);
    const out: unknown[] = [null];
    check(fn(...args, out), operation);
    return new CompiledModel(out[0], label, names);
  }

  /** Compile on a worker thread; the JS event loop keeps running meanwhile. */
  async compileModel(
    model: Model | string,
    device = 'CPU',
    properties: CompileProperties = {},
  ): Promise<CompiledModel> {
    const { fn, args, label, operation, names } = this.#compileCall(model, device, properties);
    const out: unknown[] = [null];
    check(await callAsync(fn, ...args, out), operation);
    return new CompiledModel(out[0], label, names);
  }

  /** Free the runtime handle now (idempotent); models and compiled models keep what they need. */
  dispose(): void {
    this.#handle.dispose();
  }

  /** Validate arguments and pick the C function and its arguments for one compile. */
  #compileCall(model: Model | string, device: string, properties: CompileProperties) {
    const ov = openvino();
    const path = typeof model === 'string' ? model : model.path;
    const operation = `compileModel(${basename(path)}, ${device})`;
    if (typeof model === 'string') assertFile(model, operation);
    else if (!(model instanceof Model)) throw invalid(operation, 'expected a Model or an .xml path');
    const props = toNativeProperties(properties, operation);
    const nativeProps = props.length > 0 ? props : null;
    const groups = irTensorNames(path);
    const names = (n: string) => groups.get(n) ?? [];
    const label = `${basename(path)} on ${device}`;
    const fn =
      typeof model === 'string' ? ov.ov_core_compile_model_from_file_props : ov.ov_core_compile_model_props;
    const args = [
      this.#handle.ptr,
      typeof model === 'string' ? model : model.native,
      device,
      props.length,
      nativeProps,
    ];
    return { fn, args, label, operation, names };
  }
}
