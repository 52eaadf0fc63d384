import { isDeepStrictEqual } from "node:util";
import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import { allowedAcpDrops, applyWriterOp, batchOpStamp } from "../../harness/schedule/mutations.js";
import { isGatewayStep, type WriterOp } from "../../harness/schedule/schema.js";
import type { LimitationId } from "../../src/types.js";
import { preserveAcp } from "./acp.js";
import { diskStore, predictLoad, type CacheState, type LiveFile } from "./load.js";
import type { Anomaly, ExpectedOutcome, ExpectedTripwire, PresentStat, StepPrediction, StoreData } from "./types.js";

type Paused = { op: WriterOp; stamp: number; base: StoreData; loadedFrom: FileSnapshot };
type GatewayState = { cache: CacheState; paused: Paused | null };

/** The result of running one writer's mutator on the store it loaded. */
type Mutation = { ok: true; store: StoreData } | { ok: false; because: "mutator" | "unparseable" };

function mutateWith(base: StoreData | "unparseable", op: WriterOp, stamp: number, keepsAcp: boolean): Mutation {
  if (base === "unparseable") return { ok: false, because: "unparseable" };
  const store = structuredClone(base);
  try {
    applyWriterOp(store, op, stamp);
  } catch {
    return { ok: false, because: "mutator" };
  }
  if (keepsAcp) preserveAcp(base, store, allowedAcpDrops(op));
  return { ok: true, store };
}

/**
 * The reference model. It replays a recorded history against the contract's writer path and
 * predicts, for every step: the tripwires (from the stats the history recorded), each
 * operation's outcome, and the store's parsed content afterwards. `closed` names limitations
 * the store claims to have fixed: at those points the model expects the ideal design instead.
 * Content is compared parsed, never as bytes: the contract does not fix the file's format.
 */
export function predictHistory(history: StepLockedHistory, closed: ReadonlySet<LimitationId>): StepPrediction[] {
  const gateways = new Map<string, GatewayState>();
  const gateway = (id: string) => gateways.get(id) ?? gateways.set(id, { cache: null, paused: null }).get(id)!;
  let lastStoreWrite: StoreData | null = null;
  // A store without a writer cache re-reads the file on every write (capabilities.writerCache).
  const writerCache = history.capabilities.writerCache !== false;
  // A lock-file store's held writer holds its lock; killed there, it leaves the lock behind,
  // and every later writer waits for it (the step ends `blocked`).
  const lockFile = history.capabilities.serialization === "lock-file";
  let lockLeftAt: number | null = null;
  // A store that declares ACP preservation absent writes what its mutator made of the entries.
  const keepsAcp = !history.capabilities.absent?.some((item) => item.feature === "acp-preservation");
  const mutate = (base: StoreData | "unparseable", op: WriterOp, stamp: number) => mutateWith(base, op, stamp, keepsAcp);

  return history.steps.map((record): StepPrediction => {
    const { step } = record;
    const prediction: StepPrediction = { index: record.index, tripwires: [], outcomes: null, content: { kind: "unchanged" }, anomalies: [], blockedBy: null };
    if (step.actor === "clock") return prediction;
    if (!isGatewayStep(step)) return { ...prediction, content: { kind: "external" } };
    const state = gateway(step.actor);
    const anomaly = (limitation: LimitationId, detail: string, content: StoreData | "unchanged"): Anomaly => ({
      limitation,
      step: record.index,
      actor: step.actor,
      detail,
      closed: { content },
    });

    /** One writer loading from `live`: records its signals and anomalies, returns its mutation. */
    const load = (live: LiveFile, op: WriterOp, stamp: number) => {
      const loaded = predictLoad(state.cache, live, lastStoreWrite, closed, writerCache);
      state.cache = null; // the writer takes the entry
      prediction.tripwires.push(...loaded.tripwires);
      if (loaded.anomaly) {
        const closedResult = mutate(loaded.anomaly.closedBase, op, stamp);
        prediction.anomalies.push(anomaly(loaded.anomaly.limitation, loaded.anomaly.detail, closedResult.ok ? closedResult.store : "unchanged"));
      }
      return { base: loaded.base, result: mutate(loaded.base, op, stamp) };
    };
    const landed = (store: StoreData) => {
      state.cache = writerCache ? { store, stat: "own-write" } : null;
      lastStoreWrite = store;
    };
    const outcomeOf = (mutation: Mutation): ExpectedOutcome =>
      mutation.ok ? { status: "ok" } : { status: "error", because: mutation.because };

    switch (step.op) {
      case "read": {
        prediction.outcomes = [predictRead(state.cache, record.before, step.skipCache, closed)];
        break;
      }
      case "restart":
        if (lockFile && state.paused && lockLeftAt === null) lockLeftAt = record.index;
        state.cache = null;
        state.paused = null;
        break;
      case "resume": {
        const held = state.paused;
        state.paused = null;
        if (!held) {
          prediction.outcomes = [{ status: "error", because: "harness" }];
          break;
        }
        const result = mutate(held.base, held.op, held.stamp);
        prediction.outcomes = [outcomeOf(result)];
        if (!result.ok) break;
        if (isDeepStrictEqual(result.store, held.base) && record.after.hash === record.before.hash) {
          // Nothing to write: the store skipped its rename (see skippedRename), the file is as the
          // step found it. Deleted while the writer was held, it stays missing (openclaw from
          // 2026.3.2 skips a write whose JSON equals what it loaded): nothing on disk a cache
          // entry could stand for, so the next read is predicted from the disk.
          state.cache = writerCache && record.after.stat.kind === "present" ? { store: result.store, stat: "own-write" } : null;
          break;
        }
        const drifted = !isDeepStrictEqual(record.before.content, held.loadedFrom.content);
        if (drifted) {
          const rebased = mutate(diskStore({ kind: "snapshot", snapshot: record.before }), held.op, held.stamp);
          const closedContent = rebased.ok ? rebased.store : "unchanged";
          prediction.anomalies.push(anomaly("mid-flight-drift", "the file changed between this writer's load and its rename; the write overwrote it unsignalled", closedContent));
          if (closed.has("mid-flight-drift")) {
            prediction.tripwires.push({ kind: "closed-limitation", limitation: "mid-flight-drift" });
            if (rebased.ok) {
              prediction.content = { kind: "store", store: rebased.store };
              landed(rebased.store);
            } else prediction.outcomes = [outcomeOf(rebased)];
            break;
          }
        }
        prediction.content = { kind: "store", store: result.store };
        landed(result.store);
        break;
      }
      case "batch": {
        if (lockLeftAt !== null) {
          prediction.blockedBy = lockLeftAt;
          break;
        }
        let live: LiveFile = { kind: "snapshot", snapshot: record.before };
        prediction.outcomes = step.ops.map((op, i) => {
          const { result } = load(live, op, batchOpStamp(record.index, i));
          if (result.ok) {
            landed(result.store);
            live = { kind: "own-write", store: result.store };
            prediction.content = { kind: "store", store: result.store };
          }
          return outcomeOf(result);
        });
        break;
      }
      default: {
        if (lockLeftAt !== null) {
          // It waits for the lock before it loads: nothing is read, taken or written.
          prediction.blockedBy = lockLeftAt;
          break;
        }
        const { actor: _actor, pause, ...rest } = step;
        const op = rest as WriterOp;
        const { base, result } = load({ kind: "snapshot", snapshot: record.before }, op, record.index);
        // A paused writer holds unless it fails before its checkpoint (unparseable, or a throwing
        // mutator before the rename); it then ends like any failing writer.
        // A store may skip writing a store that did not change (openclaw compares the serialized
        // text): with no rename, a before-rename pause is never reached and the writer just ends.
        const skippedRename =
          pause === "before-rename" && result.ok && record.end.kind === "done" && isDeepStrictEqual(result.store, diskStore({ kind: "snapshot", snapshot: record.before }));
        const holds = pause === "after-load" ? base !== "unparseable" : pause === "before-rename" && result.ok && !skippedRename;
        if (holds && base !== "unparseable") {
          state.paused = { op, stamp: record.index, base, loadedFrom: record.before };
          break;
        }
        prediction.outcomes = [outcomeOf(result)];
        if (result.ok) {
          landed(result.store);
          prediction.content = { kind: "store", store: result.store };
        }
      }
    }
    // The stat a gateway recorded after its own write is the one the history saw after the step.
    // A file missing then means the write did not land as predicted (the content check says
    // so): the model keeps no cache entry rather than invent a stat.
    if (state.cache?.stat === "own-write") {
      const stat = presentStat(record);
      state.cache = stat ? { store: state.cache.store, stat } : null;
    }
    return prediction;
  });
}

function presentStat(record: StepRecord): PresentStat | null {
  const stat = record.after.stat;
  return stat.kind === "present" ? stat : null;
}

/** Readers never emit and never take the cache: the cached store while its stat matches, else disk. */
function predictRead(cache: CacheState, before: FileSnapshot, skipCache: boolean, closed: ReadonlySet<LimitationId>): ExpectedOutcome {
  const disk = diskStore({ kind: "snapshot", snapshot: before });
  const fromDisk: ExpectedOutcome =
    disk === "unparseable" ? { status: "error", because: "unparseable" } : { status: "ok-read", value: disk };
  if (skipCache || !cache || cache.stat === "own-write") return fromDisk;
  const stat = before.stat;
  const fresh = stat.kind === "present" && stat.mtimeMs === cache.stat.mtimeMs && stat.size === cache.stat.size;
  if (!fresh) return fromDisk;
  // A store that closed coarse-mtime may notice the change here too; either answer is allowed.
  if (closed.has("coarse-mtime") && fromDisk.status === "ok-read" && !isDeepStrictEqual(fromDisk.value, cache.store)) {
    return { status: "ok-read", value: cache.store, alternatives: [fromDisk.value] };
  }
  return { status: "ok-read", value: cache.store };
}
