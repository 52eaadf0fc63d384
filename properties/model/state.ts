import type { FileSnapshot } from "../../harness/history/types.js";
import { holdsLockFile } from "../../harness/schedule/lock-file.js";
import type { Capabilities } from "../../harness/protocol.js";
import type { WriterOp } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import type { CacheState } from "./load.js";
import type { StepPrediction, StoreData } from "./types.js";

/** A writer held at a checkpoint: what it loaded, and from which version of the file. */
export type Paused = { op: WriterOp; stamp: number; base: StoreData; loadedFrom: FileSnapshot };

/** One gateway process as the contract sees it: its cache entry for the store, and a held writer. */
export type GatewayModel = { cache: CacheState; paused: Paused | null };

/**
 * Everything the model carries from one step to the next. A value: every step function
 * returns new states and never changes the one it was given, so the states of several allowed
 * behaviours can be followed side by side.
 */
export type ModelState = {
  gateways: Readonly<Record<string, GatewayModel>>;
  /** What any gateway of this store last wrote: the ideal design signals a miss that finds something else. */
  lastStoreWrite: StoreData | null;
  /** The restart (step index) that killed a lock-file store's writer while it held its lock. */
  lockLeftAt: number | null;
};

/** What the store declares, and the limitations it claims to have closed: all the model knows of it. */
export type StoreTraits = {
  closed: ReadonlySet<LimitationId>;
  /** false: every write re-reads the file (capabilities.writerCache). */
  writerCache: boolean;
  /** A writer held at a checkpoint holds a `<store>.lock` file (harness/schedule/lock-file.ts). */
  lockFile: boolean;
  /** false: the store declares ACP preservation absent, and writes what its mutator made. */
  keepsAcp: boolean;
  /** A write that changes something may fail with the store's named conflict error (capabilities.conflictError). */
  mayConflict: boolean;
};

export const traitsOf = (capabilities: Capabilities, closed: ReadonlySet<LimitationId>): StoreTraits => ({
  closed,
  writerCache: capabilities.writerCache !== false,
  lockFile: holdsLockFile(capabilities.serialization),
  keepsAcp: !capabilities.absent?.some((item) => item.feature === "acp-preservation"),
  mayConflict: capabilities.conflictError !== undefined,
});

export const initialState = (): ModelState => ({ gateways: {}, lastStoreWrite: null, lockLeftAt: null });

export const gatewayOf = (state: ModelState, actor: string): GatewayModel =>
  state.gateways[actor] ?? { cache: null, paused: null };

export const withGateway = (state: ModelState, actor: string, gateway: GatewayModel): ModelState => ({
  ...state,
  gateways: { ...state.gateways, [actor]: gateway },
});

/** One behaviour the contract allows at a step: what must be seen, and the state it leaves. */
export type Alternative = { prediction: StepPrediction; next: ModelState };

export const emptyPrediction = (index: number, branch: string): StepPrediction => ({
  index,
  branch,
  holds: null,
  tripwires: [],
  outcomes: null,
  content: { kind: "unchanged" },
  anomalies: [],
  blockedBy: null,
});
