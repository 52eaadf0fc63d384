/**
 * The lock part: runs tasks one at a time per key, in arrival order. A task that throws or
 * rejects does not stall the tasks behind it; its error reaches only its own caller.
 */
export type ExclusiveRunner = <T>(key: string, task: () => Promise<T>) => Promise<T>;

export function createFifoQueue(): ExclusiveRunner {
  const tails = new Map<string, Promise<void>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
