// Inference runs taking turns: one at a time per process, first come first served.
//
// With the LATENCY hint OpenVINO runs each inference on every core (one stream, as many threads as cores), and
// each compiled part has its own threads. Two runs at once (a caption's vision encoder beside the batch's
// decoder step) then put twice as many busy threads as cores, and both slow down by more than they share:
// on the 2-core machine, 4 clients got 29–33 % more captions and answers per second with runs taking turns
// (BENCHMARKS.md, "Throughput: continuous batching"). A single client never has two runs at once, so its
// latency does not change.

/** A first-in first-out turn for async work: `take(fn)` starts fn once every earlier fn has settled. */
export class Turns {
  #tail: Promise<unknown> = Promise.resolve();

  take<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(fn, fn);
    this.#tail = run.catch(() => {}); // a failed run still hands the turn on
    return run;
  }
}

/** The process's turns: every model loaded with `serialInference` shares them (the cores are the process's). */
export const inferenceTurns = new Turns();
