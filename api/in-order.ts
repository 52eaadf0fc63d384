/**
 * Runs `work` on every item with at most `jobs` at a time, each slot keeping its own resource
 * (`slot(i)`, made once per slot), and hands each result to `onDone` in the items' order as soon
 * as it and every item before it are done. Resolves with the results in order; if any work
 * throws, the rest still finish (nothing is left running) and the first error is thrown.
 * `startOrder` (indices of `items`) says which to start first, e.g. the longest, so that it is
 * not the one left running alone at the end; the results and their order do not depend on it.
 */
export async function inOrder<I, R, S>(
  items: readonly I[],
  jobs: number,
  slot: (index: number) => S,
  work: (item: I, resource: S) => Promise<R>,
  onDone: (result: R, index: number) => void = () => undefined,
  startOrder: readonly number[] = items.map((_, index) => index),
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const done: boolean[] = new Array(items.length).fill(false);
  let next = 0;
  let flushed = 0;
  let failure: { error: unknown } | undefined;
  const flush = () => {
    while (flushed < items.length && done[flushed]) onDone(results[flushed]!, flushed++);
  };
  const runSlot = async (slotIndex: number) => {
    let resource: S | undefined;
    while (next < startOrder.length && !failure) {
      const index = startOrder[next++]!;
      try {
        resource ??= slot(slotIndex);
        results[index] = await work(items[index]!, resource);
        done[index] = true;
        flush();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, (_, i) => runSlot(i)));
  if (failure) throw failure.error;
  return results;
}
