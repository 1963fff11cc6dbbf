// One compiled part and its pool of infer requests. Callers borrow a request, run it off the JS thread, read
// (copy) what they need from the outputs while the request is still theirs, and the request goes back.
import { BlipError } from '../errors.js';
import type { PartSpec } from '../model/parts.js';
import type { CompiledModel, InferOutputs, InferRequest, Tensor } from '../openvino/index.js';
import { Pool } from './request-pool.js';
import type { Turns } from './turns.js';

/** A compiled part that many callers can run at once, each on its own infer request. */
export class PartRunner {
  private readonly pool: Pool<InferRequest>;
  /** Runs so far and the summed time inside inferAsync (ms): the "bare inference" the benchmark compares against. */
  runs = 0;
  inferMs = 0;

  constructor(
    readonly spec: PartSpec,
    readonly compiled: CompiledModel,
    poolSize: number,
    /** Turns every run waits for (runtime/turns.ts); null = runs start at once. */
    private readonly turns: Turns | null = null,
  ) {
    this.pool = new Pool(() => compiled.createInferRequest(), poolSize);
  }

  /** Runs the part on `inputs` (bound by name) and returns `read(outputs)`; outputs are only valid inside `read`. */
  run<R>(inputs: Record<string, Tensor>, read: (outputs: InferOutputs) => R): Promise<R> {
    return this.pool.use(async (request) => read(await this.timed(() => request.inferAsync(inputs))));
  }

  /**
   * Lends `count` requests for the whole of `work` and takes them back afterwards, whatever happens. A
   * generation's decoder steps alternate between two, so one step's outputs can be the next one's inputs.
   */
  hold<R>(count: number, work: (requests: InferRequest[]) => Promise<R>): Promise<R> {
    const take = (held: InferRequest[]): Promise<R> =>
      held.length === count ? work(held) : this.pool.use((request) => take([...held, request]));
    return take([]);
  }

  /** Runs a held request on the inputs bound to it; counted and timed like run(). Outputs are borrowed. */
  infer(request: InferRequest): Promise<InferOutputs> {
    return this.timed(() => request.inferAsync());
  }

  /** One inference, in its turn when runs take turns; counted and timed from its start (not the wait). */
  private timed(infer: () => Promise<InferOutputs>): Promise<InferOutputs> {
    const run = async () => {
      const start = performance.now();
      const outputs = await infer();
      this.inferMs += performance.now() - start;
      this.runs++;
      return outputs;
    };
    return this.turns ? this.turns.take(run) : run();
  }

  /** Requests lent out right now (0 when nobody is running this part). */
  get busy(): number {
    return this.pool.busy;
  }

  /** Frees every request and the compiled model. */
  dispose(): void {
    for (const request of this.pool.items()) request.dispose();
    this.compiled.dispose();
  }
}

/** An f32 output by name with its shape, borrowed: valid only until the request runs again. */
export function viewF32(outputs: InferOutputs, name: string): { data: Float32Array; shape: number[] } {
  const tensor = outputs[name];
  if (!tensor) {
    throw new BlipError(
      'RUNTIME',
      `model output '${name}' is missing; outputs are: ${Object.keys(outputs).join(', ')}`,
    );
  }
  return { data: tensor.data as Float32Array, shape: tensor.shape };
}

/** A copy of an f32 output with its shape (outputs are borrowed from the request; copies outlive it). */
export function copyF32(outputs: InferOutputs, name: string): { data: Float32Array; shape: number[] } {
  const { data, shape } = viewF32(outputs, name);
  return { data: data.slice(), shape }; // slice: a memcpy (from() would iterate)
}
