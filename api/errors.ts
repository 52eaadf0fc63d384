/** Bad input from the caller (an unknown property, a store that does not meet the contract, a bad file): the CLI exits 2 with its message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
