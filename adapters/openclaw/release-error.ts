/** Why a release cannot be run: the CLI exits 2 with the message, which is one line. */
export type ReleaseErrorKind = "missing" | "offline" | "no-json-store" | "unknown-layout" | "install-failed";

/**
 * A release the harness cannot run: it does not exist, the registry cannot be reached and it
 * is not cached, it has no JSON session store, or its layout is one the adapter does not know.
 */
export class ReleaseError extends Error {
  override readonly name = "ReleaseError";

  constructor(
    readonly kind: ReleaseErrorKind,
    message: string,
  ) {
    super(message);
  }
}
