// Port descriptors: what a model input or output is called, holds and how big it is.
import { type ElementType, elementTypeName } from './element-type.js';
import { check } from './errors.js';
import { openvino, takeString } from './native.js';
import { type PartialShape, takePartialShape } from './shape.js';

/** One model input or output, read once when the model is loaded (plain data, no native handle). */
export interface Port {
  /** Position among the model's inputs (or outputs). */
  index: number;
  /** The name OpenVINO picks among `names`; bind by this or any other of `names`. */
  anyName: string;
  /** Every tensor name of the port (the C API exposes only one; the rest come from the IR file when known). */
  names: string[];
  /** 'f32', 'i64', … or OpenVINO's name for a type JS has no array for. */
  elementType: ElementType | string;
  /** Declared shape; dynamic dimensions are -1 in `dims` and '?' in `text`. */
  partialShape: PartialShape;
}

/** Read one ov_output_const_port_t and free it. */
function readPort(port: unknown, index: number, what: string, extraNames: (name: string) => string[]): Port {
  const ov = openvino();
  try {
    const name: unknown[] = [null];
    check(ov.ov_port_get_any_name(port, name), `${what}: name of port ${index}`);
    const anyName = takeString(name[0]) ?? '';
    const type = [0];
    check(ov.ov_port_get_element_type(port, type), `${what}: element type of '${anyName}'`);
    const ps = { rank: { min: 0, max: 0 }, dims: null };
    check(ov.ov_port_get_partial_shape(port, ps), `${what}: shape of '${anyName}'`);
    const names = [anyName, ...extraNames(anyName).filter((n) => n !== anyName)];
    return {
      index,
      anyName,
      names,
      elementType: elementTypeName(type[0] as number),
      partialShape: takePartialShape(ps),
    };
  } finally {
    ov.ov_output_const_port_free(port);
  }
}

/** How to enumerate one side (inputs or outputs) of a model or compiled model. */
export interface PortSource {
  owner: unknown;
  count: (owner: unknown, out: number[]) => number;
  byIndex: (owner: unknown, index: number, out: unknown[]) => number;
}

/** Read every port of one side; `what` names the model in errors. */
export function readPorts(source: PortSource, what: string, extraNames: (name: string) => string[]): Port[] {
  const count = [0];
  check(source.count(source.owner, count), `${what}: port count`);
  const ports: Port[] = [];
  for (let i = 0; i < (count[0] as number); i++) {
    const out: unknown[] = [null];
    check(source.byIndex(source.owner, i, out), `${what}: port ${i}`);
    ports.push(readPort(out[0], i, what, extraNames));
  }
  return ports;
}

/** Find a port by index or by any of its names; undefined when there is none. */
export function findPort(ports: readonly Port[], key: string | number): Port | undefined {
  if (typeof key === 'number') return ports[key];
  return ports.find((p) => p.anyName === key) ?? ports.find((p) => p.names.includes(key));
}

/** "x, y (or scores)" — port names for error messages. */
export function describePorts(ports: readonly Port[]): string {
  return ports
    .map((p) => (p.names.length > 1 ? `${p.anyName} (or ${p.names.slice(1).join(', ')})` : p.anyName))
    .join(', ');
}

/** What a request needs of the compiled model it came from: its label and ports (an interface, so
 * infer-request.ts need not import compiled-model.ts, which imports it). */
export interface PortOwner {
  readonly label: string;
  readonly inputs: readonly Port[];
  readonly outputs: readonly Port[];
}
