import type { AbsentFeature } from "../harness/protocol.js";
import type { StoreModule } from "../harness/actors/store-module.js";

/**
 * One npm package as a store under test, the parent's half: what `--store <name>@<version>`
 * names and where the child's half lives. docs/adapters.md walks through writing one; the test
 * test/adapters/adapter-interface.test.ts holds this type to that page.
 */
export type PackageAdapter = {
  /** The npm package, and the prefix of `--store <name>@<version>`. */
  name: string;
  /** The oldest release the adapter's mapping was read against; older ones are refused, not guessed at. */
  oldestSupported: string;
  /** The runtime module (built, relative to `dist/adapters/`), exporting an `OpenPackageStore` as `openStore`. */
  runtime: string;
};

/** The release a child opens: which package, which version. */
export type PackageTarget = { name: string; version: string };

/**
 * How the package's own modules are reached from the child: a dynamic import made from the
 * generated entry module, which sits beside the release's `node_modules`, so `"conf"` or
 * `"lowdb/node"` resolve to the fetched release (ES module or CommonJS alike).
 */
export type PackageImport = (specifier: string) => Promise<Record<string, unknown>>;

/**
 * What an adapter declares about its package, read from that release's code: the harness's
 * capabilities (see `Capabilities` in harness/protocol.ts) plus the temp file location.
 */
export type PackageCapabilities = {
  /** How writers are serialized: `queue`, within one process only (none of these packages locks across processes). */
  serialization: "queue" | "lock-file";
  /** false: every write reads the file first, so there is no stale writer cache. */
  writerCache: boolean;
  /** None of these packages emits a cache-invalidated event. */
  tripwire: false;
  /** Where a writer's temp file goes, e.g. `<file>.tmp-<time><random>` beside the store. */
  tempFile: string;
  /** The contract features the package has not, each with the reason, as the harness reports them. */
  absent: AbsentFeature[];
  /** The known limitations the package has (ids from src/types.ts). */
  knownLimitations: string[];
};

/** The child's half: the contract's exports over the package's public API, and what it declares. */
export type AdaptedStore = Omit<
  StoreModule,
  "_setSessionStoreWriterCheckpointForTest" | "knownLimitations" | "absentFeatures" | "storeCapabilities"
> & {
  knownLimitations: readonly string[];
  absentFeatures: readonly AbsentFeature[];
  storeCapabilities: { tripwire: false; serialization: "queue" | "lock-file"; writerCache: boolean };
  /** Informational: where the package's temp files go. */
  tempFile: string;
};

/** A runtime module's `openStore`. */
export type OpenPackageStore = (load: PackageImport, target: PackageTarget) => Promise<AdaptedStore>;
