// Tensor: an ov_tensor_t over memory that JS can see without copies.
// - Made by you (`new Tensor(type, shape, data?)`): OpenVINO uses your TypedArray's memory directly
//   (ov_tensor_create_from_host_ptr); the Tensor keeps the array alive for as long as OpenVINO may touch it.
// - Borrowed from an InferRequest (outputs, getTensor): `.data` is a view straight onto OpenVINO's memory (koffi.view).
import koffi from 'koffi';
import type { TensorData } from './element-type.js';
import {
  arrayFits,
  type ElementType,
  elementInfo,
  elementTypeName,
  elementTypeOf,
  isElementType,
} from './element-type.js';
import { check, invalid } from './errors.js';
import { NativeHandle } from './handle.js';
import { openvino } from './native.js';
import { elementCount, shapeStruct, takeShape } from './shape.js';

/** Passed as the first constructor argument to adopt a native ov_tensor_t (binding-internal). */
const ADOPT = Symbol('adopt');

/** Views handed out for borrowed tensors → their Tensor, so the native tensor outlives every view. */
const viewOwners = new WeakMap<object, Tensor>();

/** Check the constructor's arguments; returns the validated shape. */
function validate(type: string, shape: readonly number[], data: TensorData | undefined): number[] {
  const what = `new Tensor(${type}, [${shape.join(',')}])`;
  if (!isElementType(type)) throw invalid(what, `unsupported element type '${type}'`);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw invalid(what, 'shape must be an array of non-negative integers');
  }
  if (data !== undefined) {
    const info = elementInfo(type);
    if (!arrayFits(type, data)) {
      throw invalid(
        what,
        `${type} data must be a ${info.array.name}, got ${data?.constructor?.name ?? typeof data}`,
      );
    }
    if (data.length !== elementCount(shape)) {
      throw invalid(what, `data has ${data.length} elements, shape needs ${elementCount(shape)}`);
    }
  }
  return [...shape];
}

/** Create an ov_tensor_t over `data` (or an OpenVINO-owned one when it is empty: a NULL host pointer is refused). */
function createNative(type: ElementType, shape: number[], data: TensorData): unknown {
  const ov = openvino();
  const out: unknown[] = [null];
  const code = elementInfo(type).code;
  const operation = () => `new Tensor(${type}, [${shape.join(',')}])`;
  if (data.length === 0) check(ov.ov_tensor_create(code, shapeStruct(shape), out), operation);
  else check(ov.ov_tensor_create_from_host_ptr(code, shapeStruct(shape), data, out), operation);
  return out[0];
}

/**
 * An n-dimensional array shared with OpenVINO. Creating one is cheap (one native call, no copy), so make a new
 * Tensor over each new array (e.g. a grown KV cache). In hot synchronous loops call dispose() when done: the
 * FinalizationRegistry safety net only runs when the event loop turns, so until then the native handle and the
 * array it pins stay allocated.
 */
export class Tensor {
  readonly #handle: NativeHandle;
  #type: ElementType | undefined;
  #shape: number[] | undefined;
  /** The array OpenVINO reads and writes: yours, or a view onto OpenVINO's memory made on first access. */
  #data: TensorData | undefined;
  readonly #borrowed: boolean;

  /**
   * Wrap `data` without copying (f32: Float32Array, f16/bf16: Uint16Array of raw bits, i64: BigInt64Array,
   * i32: Int32Array, u8: Uint8Array, …); without `data`, a zeroed array of the right size is made for you.
   * Keep writing into `data` to change the tensor's contents: OpenVINO reads that very memory.
   */
  constructor(type: ElementType, shape: readonly number[], data?: TensorData);
  /** @internal adopt an ov_tensor_t from a request; `owner` names it in errors. */
  constructor(type: typeof ADOPT, ptr: unknown, owner: string);
  constructor(type: ElementType | typeof ADOPT, shape: unknown, data?: TensorData | string) {
    if (type === ADOPT) {
      this.#borrowed = true;
      this.#handle = new NativeHandle(this, `Tensor(${data as string})`, shape, openvino().ov_tensor_free);
      return;
    }
    const dims = validate(type, shape as number[], data as TensorData | undefined);
    const info = elementInfo(type);
    const array =
      (data as TensorData | undefined) ??
      new info.array(new ArrayBuffer(elementCount(dims) * info.bytes), 0, elementCount(dims));
    this.#borrowed = false;
    this.#type = type;
    this.#shape = dims;
    this.#data = array;
    this.#handle = new NativeHandle(
      this,
      `Tensor(${type})`,
      createNative(type, dims, array),
      openvino().ov_tensor_free,
      array,
    );
  }

  /** @internal Wrap an ov_tensor_t that a request handed out (we own this reference and free it). */
  static adopt(ptr: unknown, owner: string, type?: ElementType): Tensor {
    const tensor = new Tensor(ADOPT, ptr, owner);
    tensor.#type = type; // a port's static type spares a native call per output per run
    return tensor;
  }

  /** @internal The live ov_tensor_t pointer. */
  get native(): unknown {
    return this.#handle.ptr;
  }

  /** True for tensors got from an InferRequest, whose memory belongs to OpenVINO. */
  get borrowed(): boolean {
    return this.#borrowed;
  }

  /** Element type, e.g. 'f32'. */
  get elementType(): ElementType {
    if (this.#type === undefined) {
      const out = [0];
      check(openvino().ov_tensor_get_element_type(this.#handle.ptr, out), 'Tensor.elementType');
      const type = elementTypeOf(out[0] as number);
      if (type === undefined) {
        throw invalid(
          'Tensor.elementType',
          `element type ${elementTypeName(out[0] as number)} has no TypedArray`,
        );
      }
      this.#type = type;
    }
    return this.#type;
  }

  /** Dimensions, e.g. [1, 577, 768]. */
  get shape(): number[] {
    if (this.#shape === undefined) {
      const out = { rank: 0, dims: null };
      check(openvino().ov_tensor_get_shape(this.#handle.ptr, out), 'Tensor.shape');
      this.#shape = takeShape(out);
    }
    return [...this.#shape];
  }

  /** Number of elements. */
  get size(): number {
    return elementCount(this.#shape ?? this.shape);
  }

  /**
   * The elements, never copied. For your own tensors: the array you gave (or the one made for you).
   * For borrowed tensors (request outputs): a view onto OpenVINO's memory, valid until the tensor is disposed —
   * which the request does at its next infer()/inferAsync() or dispose(). Copy (`.slice()`) what you keep longer:
   * a view kept past that point may show the next run's numbers or, after a shape change, freed memory (Node 20
   * cannot detach an external ArrayBuffer, so nothing stops such a read).
   */
  get data(): TensorData {
    if (this.#data === undefined) this.#data = this.#viewNative();
    return this.#data;
  }

  /**
   * `.data` with its exact TypedArray class, for typed code: `logits.dataOf(Float32Array)`. Throws naming both
   * classes when the tensor holds another element type.
   */
  dataOf<T extends TensorData>(ctor: abstract new (...args: never[]) => T): T {
    const data = this.data;
    if (!(data instanceof ctor)) {
      throw invalid(
        `Tensor.dataOf(${ctor.name})`,
        `this ${this.elementType} tensor holds a ${data.constructor.name}`,
      );
    }
    return data;
  }

  /** openvino-node spelling of `.data`. */
  getData(): TensorData {
    return this.data;
  }

  /** openvino-node spelling of `.shape`. */
  getShape(): number[] {
    return this.shape;
  }

  /** openvino-node spelling of `.elementType`. */
  getElementType(): ElementType {
    return this.elementType;
  }

  /** openvino-node spelling of `.size`. */
  getSize(): number {
    return this.size;
  }

  /** Free the native tensor now (idempotent). Your own array stays yours; a borrowed view must no longer be read. */
  dispose(): void {
    if (this.#handle.disposed) return;
    this.#handle.dispose();
  }

  /** Make the zero-copy view of a borrowed tensor's memory. */
  #viewNative(): TensorData {
    const ov = openvino();
    const type = this.elementType;
    const count = this.size;
    const info = elementInfo(type);
    if (count === 0) return new info.array(new ArrayBuffer(0), 0, 0);
    const ptr: unknown[] = [null];
    check(ov.ov_tensor_data(this.#handle.ptr, ptr), 'Tensor.data');
    const buffer = koffi.view(ptr[0], count * info.bytes);
    const view = new info.array(buffer, 0, count);
    viewOwners.set(buffer, this);
    viewOwners.set(view, this);
    return view;
  }
}
