// An async generator driven by a producer: events are buffered until the consumer asks for them, and the
// consumer's return() aborts the producer at once (graphql-yoga calls return() when a subscriber leaves),
// then waits until the producer has let go of its resources.

/** Produces events through `emit`, stopping soon after `signal` aborts. */
export type Producer<E> = (emit: (event: E) => void, signal: AbortSignal) => Promise<void>;

/** Wraps `producer` as an AsyncGenerator; it starts on the first next(). */
export function eventStream<E>(producer: Producer<E>): AsyncGenerator<E, undefined, undefined> {
  const controller = new AbortController();
  const buffered: E[] = [];
  let waiting: { resolve: (r: IteratorResult<E, undefined>) => void; reject: (e: unknown) => void } | null =
    null;
  let running: Promise<void> | null = null;
  let finished = false;
  let failure: { error: unknown } | null = null;

  const wake = () => {
    if (!waiting) return;
    const { resolve, reject } = waiting;
    const event = buffered.shift();
    if (event !== undefined) resolve({ value: event, done: false });
    else if (failure) reject(failure.error);
    else if (finished) resolve({ value: undefined, done: true });
    else return;
    waiting = null;
  };
  const start = () => {
    running ??= producer((event) => {
      if (controller.signal.aborted) return;
      buffered.push(event);
      wake();
    }, controller.signal).then(
      () => {
        finished = true;
        wake();
      },
      (error: unknown) => {
        finished = true;
        if (!controller.signal.aborted) failure = { error };
        wake();
      },
    );
  };
  const stream: AsyncGenerator<E, undefined, undefined> = {
    next() {
      if (controller.signal.aborted) return Promise.resolve({ value: undefined, done: true });
      start();
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        wake();
      });
    },
    async return() {
      controller.abort();
      buffered.length = 0;
      waiting?.resolve({ value: undefined, done: true });
      waiting = null;
      await running; // the producer has released its infer requests when this resolves
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await stream.return(undefined);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}
