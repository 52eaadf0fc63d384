import { readdirSync } from "node:fs";
import { readStoreLenient } from "../faults/read-lenient.js";
import { basename, join } from "node:path";
import { dir } from "tmp-promise";
import { snapshotFile } from "../history/snapshot.js";
import type { FreeRunningHistory, MonitorSample, OperationRecord } from "../history/types.js";
import type { ActorProcess } from "../pool/actor-process.js";
import type { ActorPool } from "../pool/pool.js";
import { sharedClockMs, type Capabilities } from "../protocol.js";
import { isGatewayActor, type ExternalStep, type GatewayStep } from "./schema.js";
import { round, TripwireAttribution, windowsSince } from "./tripwire-attribution.js";
import { versionsSince } from "./versions-since.js";

export type FreeRunningOptions = {
  seconds: number;
  gateways: number;
  externals: number;
  seed: number;
  onProgress?: (ops: number, elapsedMs: number) => void;
};

/** A small seeded generator (mulberry32), so a stress run's choices can be told apart by seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Free-running concurrency: every actor loops on its own (no step lock) until time is up:
 * gateways merge unique keys (singly and batched) and read; externals write their own keys
 * atomically, now and then same-size same-second edits and rare deletions. The parent samples
 * the file meanwhile. Bounded in time; stops by itself.
 */
export async function runFreeRunning(pool: ActorPool, opts: FreeRunningOptions): Promise<FreeRunningHistory> {
  const tmp = await dir({ prefix: "drift-stress-", unsafeCleanup: true });
  const storePath = join(tmp.path, "sessions.json");
  const actors: [string, ActorProcess][] = [];
  const ops: OperationRecord[] = [];
  const samples: MonitorSample[] = [];
  const attribution = new TripwireAttribution();
  let counter = 0;
  try {
    for (let i = 0; i < opts.gateways; i++) actors.push([`g${i}`, pool.acquire("gateway")]);
    for (let i = 0; i < opts.externals; i++) actors.push([`x${i}`, pool.acquire("external")]);
    const init = {
      type: "init",
      storePath,
      storeModule: pool.storeModule,
      throwingEmitter: false,
      coarseSecond: null,
    } as const;
    const capabilities: Capabilities[] = await Promise.all(actors.map(([, actor]) => actor.init(init)));
    const t0 = sharedClockMs();
    const deadline = t0 + opts.seconds * 1000;
    const now = () => sharedClockMs() - t0;
    const loop = async ([name, actor]: [string, ActorProcess], index: number) => {
      const next = random(opts.seed * 31 + index);
      while (sharedClockMs() < deadline) {
        const stamp = ++counter;
        const step = isGatewayActor(name) ? gatewayStep(name, stamp, next) : externalStep(name, stamp, next);
        const startedAt = now();
        const reply = await actor.run(step, stamp, null);
        if (reply.kind !== "done") throw new Error(`${name} paused in a stress run`);
        const end = { kind: "done" as const, outcomes: reply.outcomes };
        const record: OperationRecord = {
          index: -1,
          step,
          pid: actor.pid,
          startedAt: round(startedAt),
          endedAt: round(now()),
          end,
          windows: windowsSince(t0, reply.windows),
          versions: versionsSince(t0, reply.versions),
          tripwires: reply.tripwires,
        };
        ops.push(record);
        attribution.note(actor, reply.id, record);
        attribution.collect(actor, name);
      }
    };
    const monitor = async () => {
      while (sharedClockMs() < deadline) {
        samples.push({ at: round(now()), ...look(storePath) });
        opts.onProgress?.(ops.length, now());
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    await Promise.all([...actors.map(loop), monitor()]);
    for (const [name, actor] of actors) attribution.collect(actor, name);
    const steps = ops
      .map((record) => attribution.withLate(record))
      .sort((a, b) => a.startedAt - b.startedAt)
      .map((record, index) => ({ ...record, index }));
    return {
      version: 1,
      mode: "free-running",
      storePath,
      storeModule: pool.storeModule,
      capabilities: capabilities[0] ?? { checkpoints: "none", knownLimitations: null },
      run: { seconds: opts.seconds, gateways: opts.gateways, externals: opts.externals, seed: opts.seed },
      steps,
      samples,
      final: snapshotFile(storePath),
      leftovers: readdirSync(tmp.path)
        .filter((name) => name !== basename(storePath))
        .sort(),
      unattributedTripwires: attribution.unattributed,
    };
  } catch (error) {
    for (const [, actor] of actors) await pool.discard(actor);
    actors.length = 0;
    throw error;
  } finally {
    for (const [, actor] of actors) pool.release(actor);
    await tmp.cleanup();
  }
}

function look(path: string): Omit<MonitorSample, "at"> {
  const read = readStoreLenient(path);
  if (read.kind === "missing") return { state: "missing", bytes: 0 };
  if (read.kind === "json") return { state: "json", bytes: read.text.length };
  return { state: "unparseable", bytes: read.text.length, head: read.text.slice(0, 60) };
}

function gatewayStep(actor: string, stamp: number, next: () => number): GatewayStep {
  const roll = next();
  const merge = (key: string) => ({ op: "merge" as const, key, set: { note: `n${stamp % 10}` } });
  if (roll < 0.7) return { actor, ...merge(`${actor}-${stamp}`) };
  if (roll < 0.85) return { actor, op: "batch", ops: [merge(`${actor}-${stamp}-a`), merge(`${actor}-${stamp}-b`)] };
  return { actor, op: "read", skipCache: next() < 0.5 };
}

function externalStep(actor: string, stamp: number, next: () => number): ExternalStep {
  const roll = next();
  const change = { kind: "set" as const, key: `${actor}-${stamp}`, set: { note: `n${stamp % 10}` } };
  // No deletions: one would explain every earlier loss and leave the check nothing to catch.
  if (roll < 0.85) return { actor, op: "write", changes: [change] };
  return {
    actor,
    op: "same-second-edit",
    sameSize: true,
    changes: [{ kind: "set", key: "shared", set: { note: `s${stamp % 10}` } }],
  };
}
