import { ReleaseError } from "../adapters/openclaw/release-error.js";
import type { ResolveOptions } from "../adapters/openclaw/resolve-release.js";
import { resolveStoreSpec } from "../adapters/registry.js";
import { ContractError } from "../harness/actors/store-module.js";
import { defaultStoreModule } from "../harness/paths.js";
import { ActorError } from "../harness/pool/actor-process.js";
import { StoreSessions, type StoreSession } from "../properties/run/stores.js";
import { releaseSpec } from "./release-set.js";

/** A release ready to run schedules on its own fresh pool, or why it cannot be run. */
export type OpenedRelease =
  | { kind: "ready"; session: StoreSession; close: () => Promise<void> }
  | { kind: "absent"; reason: string };

/** Fetches a release into the cache (or finds it there) without starting it: for fetching ahead. */
export async function prefetchRelease(version: string, opts: Omit<ResolveOptions, "node">): Promise<void> {
  await resolveStoreSpec(releaseSpec(version), opts).catch(() => undefined);
}

/**
 * Opens one release on a pool of its own. A release the harness cannot run (missing, offline and
 * not cached, no JSON store, a layout the adapter does not know, a module that fails the
 * contract) is `absent` with the one-line reason.
 */
export async function openRelease(version: string, opts: Omit<ResolveOptions, "node">): Promise<OpenedRelease> {
  const stores = new StoreSessions(defaultStoreModule, (ref) => resolveStoreSpec(ref, opts));
  try {
    const session = await stores.get(releaseSpec(version));
    return { kind: "ready", session, close: () => stores.close() };
  } catch (error) {
    await stores.close();
    if (error instanceof ReleaseError || error instanceof ActorError || error instanceof ContractError)
      return { kind: "absent", reason: error.message.split("\n")[0]! };
    throw error;
  }
}
