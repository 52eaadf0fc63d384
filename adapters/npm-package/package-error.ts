/**
 * A package's own error, rethrown with the store path in front: the contract asks a refusal to
 * name the file, which these packages' `SyntaxError`s do not, and the property that checks a
 * refusal is about the file being kept. The package's message and error name are kept whole.
 */
export function namingThePath<T>(storePath: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw withPath(storePath, error);
  }
}

export function withPath(storePath: string, error: unknown): unknown {
  if (error instanceof Error && !error.message.includes(storePath)) error.message = `${storePath}: ${error.message}`;
  return error;
}
