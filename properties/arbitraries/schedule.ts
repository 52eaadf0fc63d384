import fc from "fast-check";
import { holdsLockFile, killLeavesLock } from "../../harness/schedule/lock-file.js";
import { ScheduleSchema, type Schedule, type Step } from "../../harness/schedule/schema.js";
import type { Capabilities } from "../../harness/protocol.js";
import type { Profile } from "./profile.js";
import { motifArbitrary } from "./motif.js";
import { rawStep, type RawStep } from "./step.js";
import { fields, sessionKey } from "./values.js";

/**
 * What the store lets schedules use: pauses and the virtual clock need a checkpoint, hook or
 * fs; a `lock-file` store's held writer holds its lock (see `place`).
 */
export type StoreCapabilities = Pick<Capabilities, "checkpoints" | "serialization">;

/**
 * A SQLite store's content is its databases, not the JSON file the external ops edit: until
 * the schedule format has faults on the database, its schedules have no externals.
 */
export const SQLITE_NO_EXTERNALS =
  "external faults on a SQLite store (deleting the database or its -wal/-shm, restoring an older copy, garbage bytes, a second store process) are not in the schedule format yet; the external ops edit sessions.json, which a SQLite release does not read";

type Shape = {
  gateways: number;
  externals: number;
  coarseClock: boolean;
  initial: Record<string, Record<string, string>> | null;
  steps: RawStep[];
};

/**
 * Schedules for a profile. Raw steps are placed onto a valid schedule by `place`, so every
 * shrink of the raw draw (fewer steps, fewer processes, simpler ops) is still a valid schedule.
 */
export function scheduleArbitrary(profile: Profile, capabilities: StoreCapabilities): fc.Arbitrary<Schedule> {
  // The virtual clock reaches gateway writes through the before-rename checkpoint: none, no clock.
  const checkpoints = capabilities.checkpoints !== "none";
  const coarse = !checkpoints
    ? fc.constant(false)
    : profile.coarseClock === "sometimes"
      ? fc.boolean()
      : fc.constant(profile.coarseClock === "always");
  return fc
    .record({
      gateways: fc.integer(profile.gateways),
      externals: capabilities.serialization === "sqlite" ? fc.constant(0) : fc.integer(profile.externals),
      coarseClock: coarse,
      // A SQLite store's content is in its databases: there is no file to seed before step 0.
      initial:
        capabilities.serialization === "sqlite"
          ? fc.constant(null)
          : profile.initialStore === "always"
            ? fc.dictionary(sessionKey(), fields(), { minKeys: 2, maxKeys: 3 })
            : fc.option(fc.dictionary(sessionKey(), fields(), { minKeys: 1, maxKeys: 2 }), { freq: 4 }),
      steps: rawSteps(profile, checkpoints),
    })
    .map((shape) =>
      place(shape, {
        throwingEmitter: profile.throwingEmitter ?? false,
        lockFile: holdsLockFile(capabilities.serialization),
        heldBlocksOthers: capabilities.serialization === "sqlite",
        killsHeldOnly: profile.killsHeldOnly ?? false,
      }),
    );
}

/**
 * The raw steps of a schedule: single steps, and the profile's motifs drawn whole, at most
 * `maxSteps` in all (a motif cut by the end is still valid steps).
 */
function rawSteps(profile: Profile, checkpoints: boolean): fc.Arbitrary<RawStep[]> {
  const single = rawStep(profile, checkpoints);
  const motif = motifArbitrary(profile.motifs, profile.writerOps, checkpoints);
  if (motif === null) return fc.array(single, { minLength: 1, maxLength: profile.maxSteps });
  const sum = (weights: Record<string, number | undefined>) =>
    Object.values(weights).reduce<number>((total, weight) => total + (weight ?? 0), 0);
  const chunk = fc.oneof(
    { weight: sum(profile.steps), arbitrary: single.map((step) => [step]) },
    { weight: sum(profile.motifs ?? {}), arbitrary: motif },
  );
  return fc
    .array(chunk, { minLength: 1, maxLength: profile.maxSteps })
    .map((chunks) => chunks.flat().slice(0, profile.maxSteps));
}

/**
 * Turns raw steps into valid ones: actors by index modulo the counts; external steps dropped
 * when there are no externals, ticks without a coarse clock; a writer aimed at a gateway that
 * holds a paused writer becomes that gateway's `resume`.
 *
 * With `lockFile` (the rule in harness/schedule/lock-file.ts), a held writer holds the lock. A writer aimed at another gateway meanwhile could only wait for it, and a
 * step-locked run cannot resume the holder while it waits for that step, so the step would end
 * in the store's lock timeout every time. It is placed after the holder's `resume` instead:
 * the only order the lock lets it land in (the store re-reads inside the lock, so when it was
 * called does not change what it loads). A held writer that is killed leaves its lock behind;
 * later writers wait for it (the runner ends such a step `blocked`) and can never reach a
 * checkpoint, so their pauses are left out.
 *
 * With `heldBlocksOthers` (SQLite: a writer held before COMMIT holds the database's write lock,
 * and one held in its mutator its process's queue), writers aimed elsewhere are placed after
 * the holders' resumes as with a lock file, but a killed holder leaves nothing behind (SQLite
 * rolls its transaction back). A read of a process held before COMMIT comes after its resume.
 *
 * With `killsHeldOnly`, a restart aimed at a gateway that holds no writer is left out: in a
 * step-locked run such a gateway has nothing in flight (its steps end when their writes do), so
 * killing it tests no crash, and every kill costs a process start.
 */
export function place(
  shape: Shape,
  opts: { throwingEmitter: boolean; lockFile?: boolean; heldBlocksOthers?: boolean; killsHeldOnly?: boolean },
): Schedule {
  const { throwingEmitter, lockFile = false, heldBlocksOthers = false, killsHeldOnly = false } = opts;
  const paused = new Set<string>();
  /** SQLite: the gateways whose held writer is inside its transaction, before COMMIT. */
  const inTransaction = new Set<string>();
  let lockLeftBehind = false;
  const steps: Step[] = [];
  for (const { who, kind, body } of shape.steps) {
    if (kind === "tick") {
      if (shape.coarseClock) steps.push({ actor: "clock", op: "tick" });
      continue;
    }
    if (["external-write", "delete-file", "same-second-edit", "rewrite-in-place", "bad-edit"].includes(kind)) {
      if (shape.externals > 0) steps.push({ actor: `x${who % shape.externals}`, ...body } as Step);
      continue;
    }
    const actor = `g${who % shape.gateways}`;
    if (kind === "restart" && killsHeldOnly && !paused.has(actor)) continue;
    // A SQLite transaction is synchronous: nothing else of its process runs until COMMIT, so its
    // own read comes after the resume (on the held connection it would read uncommitted rows).
    if (kind === "read" && inTransaction.delete(actor) && paused.delete(actor)) steps.push({ actor, op: "resume" });
    if (kind === "restart") inTransaction.delete(actor);
    if (kind === "restart" && killLeavesLock(lockFile ? "lock-file" : undefined, paused.delete(actor)))
      lockLeftBehind = true;
    if (kind === "write" || kind === "batch" || kind === "pause") {
      if (paused.delete(actor)) {
        inTransaction.delete(actor);
        steps.push({ actor, op: "resume" });
        continue;
      }
      if (lockFile || heldBlocksOthers) {
        for (const holder of paused) steps.push({ actor: holder, op: "resume" });
        paused.clear();
        inTransaction.clear();
      }
      if (kind === "pause" && lockLeftBehind) {
        const { pause: _pause, ...write } = body;
        steps.push({ actor, ...write } as Step);
        continue;
      }
      if (kind === "pause") paused.add(actor);
      if (kind === "pause" && heldBlocksOthers && body.pause === "before-rename") inTransaction.add(actor);
    }
    steps.push({ actor, ...body } as Step);
  }
  return ScheduleSchema.parse({
    options: {
      gateways: shape.gateways,
      externals: shape.externals,
      coarseClock: shape.coarseClock,
      throwingEmitter,
      initial: shape.initial,
    },
    steps,
  });
}
