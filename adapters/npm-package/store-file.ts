/** A session store as the harness hands it to a package: session key to entry. */
export type StoreData = Record<string, any>;

/** A mutator the harness built for one operation: it returns a promise only when it holds the writer (after-load). */
export type Mutator<T> = (store: StoreData) => T | Promise<T>;

/**
 * One store file opened through a package's public API, in one process. The adapter writes
 * each operation the way the package's users write: one read, the operation, one write.
 */
export type StoreFile = {
  /** One operation: read, run `mutate`, write, as the package's users do. */
  write<T>(mutate: Mutator<T>): Promise<T>;
  /** What a reader of the package sees now (synchronous: the harness reads between steps and during a held `renameSync`). */
  read(): StoreData;
};

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === "function";
