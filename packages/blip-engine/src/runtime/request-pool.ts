// Borrow, use, return: a pool of infer requests for one compiled part. A request serves one caller at a time;
// it goes back to the pool in a finally, so an error or a cancellation never leaks it.

/** Up to `max` items made on demand by `create`; callers beyond that wait in order. */
export class Pool<T> {
  private readonly idle: T[] = [];
  private readonly all: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  constructor(
    private readonly create: () => T,
    readonly max: number,
  ) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`pool size must be an integer >= 1, got ${max}`);
  }

  /** Runs `work` with a borrowed item and returns the item afterwards, whatever happens. */
  async use<R>(work: (item: T) => Promise<R>): Promise<R> {
    const item = await this.borrow();
    try {
      return await work(item);
    } finally {
      this.giveBack(item);
    }
  }

  /** Items lent out now. */
  get busy(): number {
    return this.all.length - this.idle.length;
  }

  /** Every item ever made (for dispose). */
  items(): readonly T[] {
    return this.all;
  }

  private borrow(): Promise<T> {
    const item = this.idle.pop();
    if (item !== undefined) return Promise.resolve(item);
    if (this.all.length < this.max) {
      const made = this.create();
      this.all.push(made);
      return Promise.resolve(made);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private giveBack(item: T): void {
    const next = this.waiters.shift();
    if (next) next(item);
    else this.idle.push(item);
  }
}
