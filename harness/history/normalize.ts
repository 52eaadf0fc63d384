import { basename, dirname } from "node:path";
import { InodeLabels } from "./inode-labels.js";
import type { OpOutcome } from "../protocol.js";
import type { Schedule, Step } from "../schedule/schema.js";
import type {
  FileContent,
  FileSnapshot,
  FileStatRecord,
  StatPair,
  StepLockedHistory,
  StepEnd,
  StepRecord,
  WriteVersions,
} from "./types.js";

export type NormalizedStat = { kind: "missing" } | { kind: "present"; mtimeMs: string; size: number; ino: string };

export type NormalizedSnapshot = { stat: NormalizedStat; hash: string | null; content: FileContent };

export type NormalizedStepEnd =
  | { kind: "done"; outcomes: OpOutcome[] }
  | { kind: "paused"; checkpoint: "after-load" | "before-rename" }
  | { kind: "restarted"; killedPid: string; killedWhilePaused: boolean }
  | { kind: "blocked"; lock: string; outcomes: (OpOutcome | null)[] };

export type NormalizedStep = {
  index: number;
  step: Step;
  pid: string | null;
  end: NormalizedStepEnd;
  before: NormalizedSnapshot;
  after: NormalizedSnapshot;
  tripwires: unknown[];
  versions: (NormalizedVersions | null)[];
};

/** A write's versions without their times, stats' mtimes as labels. */
export type NormalizedVersions = {
  base:
    | { kind: "read"; hash: string }
    | { kind: "cached"; hash: string; statAtLoad: NormalizedPair; knownStat: NormalizedPair }
    | { kind: "unknown" };
  produced: { hash: string; content: NonNullable<WriteVersions["produced"]>["content"] } | null;
};
type NormalizedPair = { mtimeMs: string; size: number } | null;

export type NormalizedHistory = {
  version: 1;
  mode: "step-locked";
  storePath: "<store>";
  storeModule: string;
  capabilities: StepLockedHistory["capabilities"];
  schedule: Schedule;
  initial: NormalizedSnapshot;
  steps: NormalizedStep[];
  leftovers: string[];
  unattributedTripwires: { actor: string; pid: string; payload: unknown }[];
};

/**
 * A history with everything that differs between two runs of the same schedule replaced by
 * stable labels, so that two runs compare equal with `toEqual` / `JSON.stringify`:
 *
 * - `startedAt` / `endedAt`, the operations' `windows` and their versions' times are dropped;
 * - pids become per-actor labels: `"pid:g0"` for g0's first process, `"pid:g0#1"` for the one
 *   after its first restart, …; inside strings (temp file names, messages) `"<pid:g0>"`;
 * - the run's temp `storePath` becomes `"<store>"` and its directory `"<dir>"`, everywhere:
 *   tripwire payloads, error messages, outcome values;
 * - writer temp names `<basename>.<pid>.<random>.tmp` become `<basename>.<pid:g0>.<rand>.tmp`
 *   (external temps `<basename>.external.<random>.tmp` become `….external.<rand>.tmp`);
 * - `mtimeMs` values (in snapshots, in tripwire payloads as `expectedMtime`/`observedMtime`,
 *   and an external step's `previousMtimeNs`) become first-seen ordinals `"m0"`, `"m1"`, …: one
 *   mtime is one label wherever it appears, so equal stays equal and unequal stays unequal;
 * - inode numbers become identity labels `"i0"`, `"i1"`, … along the file's timeline
 *   (`initial`, then each step's `before` and `after`): a label is kept while the file keeps
 *   its inode, and a new one is given whenever the file is seen on another inode or comes back
 *   after being missing. The kernel hands freed inode numbers out again (ext4 reuses the lowest
 *   free one), and whether it does in a given run depends on what other processes allocate;
 *   so a number seen again after the file had moved away is a new file, not the old one.
 *   One ambiguity remains: a step that replaces the file twice or more (a `batch`) may end on
 *   the number the file had before the step, and whether it does can differ between runs.
 *
 * Everything else (steps, outcomes, sizes, hashes, contents, leftovers) is kept; leftovers are
 * sorted again after renaming, as pids no longer order them.
 */
export function normalizeHistory(history: StepLockedHistory): NormalizedHistory {
  const pids = pidLabels(history.steps);
  const mtimes = new Ordinals("m");
  const inodes = new InodeLabels();
  const text = textNormalizer(history.storePath, pids);

  const snapshot = (snap: FileSnapshot): NormalizedSnapshot => ({
    stat: stat(snap.stat, mtimes, inodes),
    hash: snap.hash,
    content: snap.content,
  });
  const value = (v: unknown): unknown => normalizeValue(v, text, mtimes);
  const pidLabel = (pid: number): string => pids.get(pid) ?? `pid:?${pid}`;

  const initial = snapshot(history.initial);
  const steps = history.steps.map((record): NormalizedStep => {
    // Chronological: the file before the step, what the step emitted and returned, the file after.
    const before = snapshot(record.before);
    const tripwires = record.tripwires.map(value);
    const end = normalizeEnd(record.end, value, pidLabel);
    const after = snapshot(record.after);
    const versions = record.versions.map((v) => (v === null ? null : normalizeVersions(v, mtimes)));
    return {
      index: record.index,
      step: record.step,
      pid: record.pid === null ? null : pidLabel(record.pid),
      end,
      before,
      after,
      tripwires,
      versions,
    };
  });
  return {
    version: history.version,
    mode: history.mode,
    storePath: "<store>",
    storeModule: history.storeModule,
    capabilities: history.capabilities,
    schedule: history.schedule,
    initial,
    steps,
    leftovers: history.leftovers.map(text).sort(),
    unattributedTripwires: history.unattributedTripwires.map(({ actor, pid, payload }) => ({
      actor,
      pid: pidLabel(pid),
      payload: value(payload),
    })),
  };
}

function normalizeVersions({ base, produced }: WriteVersions, mtimes: Ordinals): NormalizedVersions {
  const pair = (stat: StatPair): NormalizedPair =>
    stat === null ? null : { mtimeMs: mtimes.label(stat.mtimeMs), size: stat.size };
  const normalizedBase: NormalizedVersions["base"] =
    base.kind === "read"
      ? { kind: "read", hash: base.hash }
      : base.kind === "cached"
        ? { kind: "cached", hash: base.hash, statAtLoad: pair(base.statAtLoad), knownStat: pair(base.knownStat) }
        : { kind: "unknown" };
  return { base: normalizedBase, produced: produced && { hash: produced.hash, content: produced.content } };
}

/** `pid:<actor>` for an actor's first process, `pid:<actor>#<n>` for the n-th after it. */
function pidLabels(steps: readonly StepRecord[]): Map<number, string> {
  const labels = new Map<number, string>();
  const generations = new Map<string, number>();
  for (const record of steps) {
    if (record.pid === null || labels.has(record.pid)) continue;
    const actor = record.step.actor;
    const generation = generations.get(actor) ?? 0;
    generations.set(actor, generation + 1);
    labels.set(record.pid, generation === 0 ? `pid:${actor}` : `pid:${actor}#${generation}`);
  }
  return labels;
}

class Ordinals {
  private readonly seen = new Map<number, string>();
  constructor(private readonly prefix: string) {}
  label(value: number): string {
    let label = this.seen.get(value);
    if (label === undefined) {
      label = `${this.prefix}${this.seen.size}`;
      this.seen.set(value, label);
    }
    return label;
  }
}

function stat(record: FileStatRecord, mtimes: Ordinals, inodes: InodeLabels): NormalizedStat {
  const ino = inodes.observe(record);
  if (record.kind === "missing") return { kind: "missing" };
  return { kind: "present", mtimeMs: mtimes.label(record.mtimeMs), size: record.size, ino: ino! };
}

function normalizeEnd(
  end: StepEnd,
  value: (v: unknown) => unknown,
  pidLabel: (pid: number) => string,
): NormalizedStepEnd {
  switch (end.kind) {
    case "done":
      return { kind: "done", outcomes: end.outcomes.map((outcome) => value(outcome) as OpOutcome) };
    case "paused":
      return end;
    case "restarted":
      return { kind: "restarted", killedPid: pidLabel(end.killedPid), killedWhilePaused: end.killedWhilePaused };
    case "blocked":
      return {
        kind: "blocked",
        lock: end.lock,
        outcomes: end.outcomes.map((outcome) => (outcome === null ? null : (value(outcome) as OpOutcome))),
      };
  }
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Replaces the run's paths, and pids and random parts of temp names, inside any string. */
function textNormalizer(storePath: string, pids: Map<number, string>): (text: string) => string {
  const dir = dirname(storePath);
  const base = escape(basename(storePath));
  const writerTemp = new RegExp(`(${base}|<store>)\\.(\\d+)\\.[A-Za-z0-9_-]+\\.tmp`, "g");
  const externalTemp = new RegExp(`(${base}|<store>)\\.external\\.[A-Za-z0-9_-]+\\.tmp`, "g");
  return (text) =>
    text
      .split(storePath)
      .join("<store>")
      .split(dir)
      .join("<dir>")
      .replace(
        writerTemp,
        (_match, prefix: string, pid: string) => `${prefix}.<${pids.get(Number(pid)) ?? "pid:?"}>.<rand>.tmp`,
      )
      .replace(externalTemp, (_match, prefix: string) => `${prefix}.external.<rand>.tmp`);
}

/** Node's `mtimeMs` for an mtime in nanoseconds (`sec * 1e3 + nsec / 1e6`, as `fs.Stats` does). */
export const mtimeMsFromNs = (ns: bigint): number =>
  Number(ns / 1_000_000_000n) * 1000 + Number(ns % 1_000_000_000n) / 1_000_000;

const MTIME_KEY = /(^mtimeMs$|Mtime$)/;

function normalizeValue(value: unknown, text: (s: string) => string, mtimes: Ordinals, key = ""): unknown {
  if (typeof value === "string") {
    if (key === "previousMtimeNs" && /^\d+$/.test(value)) return mtimes.label(mtimeMsFromNs(BigInt(value)));
    return text(value);
  }
  if (typeof value === "number") return MTIME_KEY.test(key) ? mtimes.label(value) : value;
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, text, mtimes));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeValue(v, text, mtimes, k)]));
  }
  return value;
}
