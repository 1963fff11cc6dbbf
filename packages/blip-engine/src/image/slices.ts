const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `work(from, to)` over [0, total) in slices of `perTurn`, yielding to the event loop between slices, so that
 * a large image's per-pixel work never holds the loop (and every other request) for its whole length.
 */
export async function inSlices(
  total: number,
  perTurn: number,
  work: (from: number, to: number) => void,
): Promise<void> {
  const step = Math.max(1, Math.floor(perTurn));
  for (let from = 0; from < total; from += step) {
    if (from > 0) await nextTurn();
    work(from, Math.min(total, from + step));
  }
}
