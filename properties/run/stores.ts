import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { distDir } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import type { Capabilities } from "../../harness/protocol.js";
import { LIMITATION_IDS, type LimitationId } from "../../src/types.js";
import { isReleaseRef, type StoreRef } from "../scenario/schema.js";
import { closedLimitations } from "./evaluate.js";

/**
 * Turns a release ref (`<package>@<version>`) into a store module and the Node it runs on: the
 * caller supplies it (the adapters' registry, with its cache and progress), so the properties
 * depend on no adapter.
 */
export type ReleaseResolver = (ref: string) => Promise<{ storeModule: string; nodePath?: string }>;

/** A store ready to run schedules: its warm pool and what it declares. */
export type StoreSession = {
  module: string;
  pool: ActorPool;
  capabilities: Capabilities;
  closed: ReadonlySet<LimitationId>;
};

/** The module a scenario's store reference names (a release ref: see `StoreSessions`, which fetches it). */
export function resolveStoreRef(ref: StoreRef, underTest: string): string {
  if (ref === "under-test") return underTest;
  if (ref === "hardened") return join(distDir, "src", "hardened.js");
  return join(distDir, "variants", "by-name", `${ref.slice("variant:".length)}.js`);
}

/**
 * One warm pool per store module, started on first use and probed once (capabilities,
 * `knownLimitations`); `close` kills every process of every pool.
 */
export class StoreSessions {
  private readonly sessions = new Map<string, Promise<StoreSession>>();

  constructor(
    readonly underTest: string,
    /** How release refs (`openclaw@<version>`, `conf@<version>`, …) are fetched; `--node` does not apply to them. */
    private readonly resolveRelease: ReleaseResolver,
    private readonly nodePath?: string,
  ) {}

  get(ref: StoreRef): Promise<StoreSession> {
    const key = isReleaseRef(ref) ? ref : resolveStoreRef(ref, this.underTest);
    let session = this.sessions.get(key);
    if (!session) {
      session = isReleaseRef(ref) ? this.openRelease(ref) : this.open(key, ref, this.nodePath);
      this.sessions.set(key, session);
    }
    return session;
  }

  /** A release is fetched (or found in the cache) and run on the Node its engines need. */
  private async openRelease(ref: StoreRef): Promise<StoreSession> {
    const resolved = await this.resolveRelease(ref);
    return this.open(resolved.storeModule, ref, resolved.nodePath);
  }

  private async open(module: string, ref: StoreRef, nodePath: string | undefined): Promise<StoreSession> {
    if (!existsSync(module))
      throw new Error(`store ${ref} (${module}) does not exist${ref === "under-test" ? "" : ": run `npm run build`"}`);
    const pool = new ActorPool({ storeModule: module, nodePath });
    // A module that fails the probe is never used: close its pool, or the spares the failed
    // probe's discard started stay alive (and keep this process alive).
    const capabilities = await probeCapabilities(pool).catch(async (error: unknown) => {
      await pool.close();
      throw error;
    });
    return { module, pool, capabilities, closed: closedLimitations(capabilities.knownLimitations, LIMITATION_IDS) };
  }

  async close(): Promise<void> {
    const opened = await Promise.allSettled(this.sessions.values());
    await Promise.all(opened.flatMap((result) => (result.status === "fulfilled" ? [result.value.pool.close()] : [])));
  }
}

/**
 * Starts one gateway on the store module, in the children's Node, and asks what it can do.
 * A module that does not meet the contract fails here, naming what is missing.
 */
export async function probeCapabilities(pool: ActorPool): Promise<Capabilities> {
  const dir = mkdtempSync(join(tmpdir(), "drift-probe-"));
  const gateway = pool.acquire("gateway");
  try {
    const capabilities = await gateway.init({
      type: "init",
      storePath: join(dir, "sessions.json"),
      storeModule: pool.storeModule,
      throwingEmitter: false,
      coarseSecond: null,
    });
    pool.release(gateway);
    return capabilities;
  } catch (error) {
    await pool.discard(gateway);
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
