import type { BaseVersion, History, TimeWindow, VersionHash } from "../../../harness/history/types.js";
import type { LimitationId } from "../../../src/types.js";
import { violation, type Violation } from "../violation.js";
import { replaces, writesOf, type Effect, type Write } from "./effects.js";
import { holds, VersionContents, versionLine, type EntryState, type VersionNode } from "./version-line.js";

/**
 * Why a lost write is allowed: the version that dropped it was written by an external process
 * (not the store); by a gateway whose load-to-rename window contained it, under a limitation the
 * store declares (`mid-flight-drift`), or after the writer's last re-check of the file (a store
 * that re-checks cannot close that against a process that takes no lock); or from a cache the
 * file's same stat kept trusted, under `coarse-mtime`.
 */
export type AllowedLoss = "external-stale-base" | "mid-flight-drift" | "after-last-check" | "coarse-mtime";
export const ALLOWED_LOSSES: readonly AllowedLoss[] = [
  "external-stale-base",
  "mid-flight-drift",
  "after-last-check",
  "coarse-mtime",
];

/** The property a lost write breaks: an ACP binding is `acp-survives`'s, every other effect `no-lost-update`'s. */
export type LossProperty = "no-lost-update" | "acp-survives";

/** An acknowledged write whose effect a later version no longer holds, with the version that dropped it. */
export type LostWrite = {
  write: { step: number; actor: string; label: string; external: boolean };
  effect: Effect;
  property: LossProperty;
  /** The version that dropped it, and its writer (`null`: a version no recorded write produced). */
  droppedBy: {
    step: number;
    version: VersionHash;
    writer: { actor: string; label: string; external: boolean; base: BaseVersion } | null;
  };
  allowed: AllowedLoss | null;
  /** Why it is allowed or not, in a sentence. */
  why: string;
  /** Step-locked: the steps whose `after` lacks the effect while nothing had replaced it. */
  missingAfter: number[];
};

export type VersionReport = {
  /** Acknowledged effects checked (a batch of two merges is two). */
  checked: number;
  losses: LostWrite[];
  allowed: Record<AllowedLoss, number>;
  /** One `lost-write` per loss that nothing allows. */
  violations: Violation[];
};

const declared = (history: History, limitation: LimitationId) =>
  (history.capabilities.knownLimitations ?? [limitation]).includes(limitation);

const landedWindow = (write: Write): TimeWindow | undefined => write.versions?.produced?.at ?? write.window;

/**
 * The version oracle, which needs no model: every acknowledged write (a gateway op, an external
 * write) leaves an effect on a key that every later version of the file must hold, until a later
 * operation on that key replaces it. Where one does not, the version that dropped it was written
 * from a base that lacked it, and who wrote it and why says whether that is allowed.
 *
 * "Later" is the order the versions landed in (step-locked: record by record; free-running: the
 * shared clock), conservative where it cannot be told: in free-running mode a version whose
 * rename overlaps the write's is not later, and an operation on the key whose window meets or
 * follows the write's counts as replacing it.
 */
export function checkVersions(history: History): VersionReport {
  const writes = writesOf(history);
  const report: VersionReport = {
    checked: 0,
    losses: [],
    allowed: { "external-stale-base": 0, "mid-flight-drift": 0, "after-last-check": 0, "coarse-mtime": 0 },
    violations: [],
  };
  // A history recorded before writes carried their versions: nothing to read.
  if (!writes.some((write) => write.versions !== null)) return report;
  const line = versionLine(history, writes);
  const contents = new VersionContents(line);
  const memos = new Map<string, Map<VersionHash, EntryState>>();
  const entry = (hash: VersionHash | null, key: string) => {
    let memo = memos.get(key);
    if (!memo) memos.set(key, (memo = new Map()));
    return contents.entry(hash, key, memo);
  };
  const position = new Map<Write, number>();
  line.forEach((node, i) => node.producer && position.set(node.producer, i));
  const byKey = new Map<string, Write[]>();
  for (const write of writes) for (const { key } of write.touches) byKey.set(key, [...(byKey.get(key) ?? []), write]);

  for (const write of writes) {
    for (const effect of write.effects) {
      // A write that renamed nothing because its effect was already in the file it was based on
      // (a store may skip an unchanged write) added nothing that could be lost: the write that
      // put the effect there is the one followed.
      const base = write.versions?.base;
      if (
        write.versions &&
        !write.versions.produced &&
        base &&
        base.kind !== "unknown" &&
        holds(effect, entry(base.hash, effect.key))
      )
        continue;
      report.checked++;
      const lost = findLoss(history, line, position, write, effect, byKey.get(effect.key) ?? [], entry);
      if (!lost) continue;
      report.losses.push(lost);
      if (lost.allowed) report.allowed[lost.allowed]++;
      else report.violations.push(lostWriteViolation(lost));
    }
  }
  return report;
}

function findLoss(
  history: History,
  line: VersionNode[],
  position: Map<Write, number>,
  write: Write,
  effect: Effect,
  onKey: Write[],
  entry: (hash: VersionHash | null, key: string) => EntryState,
): LostWrite | undefined {
  const stepLocked = history.mode === "step-locked";
  const landed = landedWindow(write);
  const own = position.get(write);
  // Where to start looking: after its own version; without one, its record's `after` (or what landed after its window).
  const first =
    own !== undefined
      ? own + 1
      : stepLocked
        ? line.findIndex((node) => node.producer === null && node.record === write.record.index)
        : line.findIndex((node) => landed !== undefined && node.at.from > landed.to);
  if (first < 0) return undefined;
  const later = onKey.filter(
    (other) =>
      other !== write &&
      other.mayHaveLanded &&
      other.touches.some((t) => t.key === effect.key && replaces(effect, t)) &&
      isLater(history, other, write),
  );
  const exempt = (node: VersionNode): boolean =>
    stepLocked
      ? later.some((other) => node.record >= Math.max(other.invokedAt, 0) || other.record.index === write.record.index)
      : later.some((other) => node.at.to >= (other.window?.from ?? Number.NEGATIVE_INFINITY));
  const ownRename = write.versions?.produced?.at;
  let drop: number | undefined;
  const missingAfter: number[] = [];
  for (let i = first; i < line.length; i++) {
    const node = line[i]!;
    if (exempt(node)) break;
    // Free-running: a rename that overlaps the write's own may have come first.
    if (!stepLocked && ownRename && node.at.from <= ownRename.to) continue;
    if (holds(effect, entry(node.hash, effect.key))) continue;
    drop ??= i;
    if (!stepLocked) break;
    if (node.producer === null && node.record >= 0) missingAfter.push(node.record);
  }
  if (drop === undefined) return undefined;
  const node = firstDropper(line, drop, own, landed, effect, entry);
  // A step's `after` that lost it with no produced version before it: the version came from outside the record.
  const dropper = node.producer;
  const property: LossProperty =
    effect.kind === "acp" || effect.kind === "acp-part" ? "acp-survives" : "no-lost-update";
  const base = dropper?.versions?.base ?? null;
  const { allowed, why } = classify(history, write, effect, node, dropper, landed, entry);
  return {
    write: { step: write.record.index, actor: write.actor, label: write.label, external: write.external },
    effect,
    property,
    droppedBy: {
      step: dropper?.record.index ?? node.record,
      version: node.hash,
      writer: dropper && base ? { actor: dropper.actor, label: dropper.label, external: dropper.external, base } : null,
    },
    allowed,
    why,
    missingAfter,
  };
}

/**
 * The version that first dropped the effect, from the first one found without it: when that
 * one's base lacks it too and was itself renamed in no earlier than the write landed (renames
 * that overlap cannot be ordered), the base is the one that dropped it, and so on down.
 */
function firstDropper(
  line: VersionNode[],
  drop: number,
  own: number | undefined,
  landed: TimeWindow | undefined,
  effect: Effect,
  entry: (hash: VersionHash | null, key: string) => EntryState,
): VersionNode {
  // The last produced version with these bytes before `at` (not the write's own), if it may have landed after the write.
  const producedAs = (hash: VersionHash, at: number): VersionNode | undefined => {
    for (let i = at - 1; i >= 0; i--) {
      const other = line[i]!;
      if (other.producer === null || other.hash !== hash || i === own) continue;
      return landed !== undefined && other.at.to >= landed.from ? other : undefined;
    }
    return undefined;
  };
  let at = drop;
  // A look at the file (a step's after, the final file) stands for the write that produced those bytes.
  if (line[at]!.producer === null) {
    const producer = producedAs(line[at]!.hash, at);
    if (producer) at = line.indexOf(producer);
  }
  for (let steps = 0; steps < line.length; steps++) {
    const node = line[at]!;
    const base = node.producer?.versions?.base;
    if (!base || base.kind === "unknown" || node.producer!.external || holds(effect, entry(base.hash, effect.key)))
      break;
    const candidate = producedAs(base.hash, at);
    if (!candidate) break;
    at = line.indexOf(candidate);
  }
  return line[at]!;
}

/** Whether `other` may have landed after `write`: step-locked by record (a batch's later op too), free-running by window. */
function isLater(history: History, other: Write, write: Write): boolean {
  if (history.mode === "step-locked")
    return (
      other.record.index > write.record.index ||
      (other.record.index === write.record.index && other.opIndex > write.opIndex)
    );
  const mine = write.window;
  const theirs = other.window;
  return mine === undefined || theirs === undefined || theirs.to > mine.from;
}

function classify(
  history: History,
  write: Write,
  effect: Effect,
  node: VersionNode,
  dropper: Write | null,
  landed: TimeWindow | undefined,
  entry: (hash: VersionHash | null, key: string) => EntryState,
): { allowed: AllowedLoss | null; why: string } {
  if (!dropper) {
    const record = history.steps[node.record];
    const outside = record && record.step.actor !== "clock" && !record.step.actor.startsWith("g");
    return outside
      ? { allowed: "external-stale-base", why: `the file changed to it at step ${node.record}, an external's` }
      : {
          allowed: null,
          why: `no recorded write produced that version (the file was seen so after step ${node.record})`,
        };
  }
  if (dropper.external)
    return { allowed: "external-stale-base", why: `${dropper.actor} is an external process, not the store` };
  const base = dropper.versions!.base;
  const baseHash = base.kind === "unknown" ? null : base.hash;
  const inBase = base.kind === "unknown" ? ({ kind: "unknown" } as const) : entry(baseHash, effect.key);
  if (inBase.kind !== "unknown" && holds(effect, inBase)) {
    return { allowed: null, why: `its writer dropped it from a base (${baseHash}, ${base.kind}) that held it` };
  }
  const baseText =
    base.kind === "unknown"
      ? "an unknown base"
      : `a stale base (${base.hash}, ${base.kind === "read" ? "read" : "cached"})`;
  const otherProcess = write.external || write.pid !== dropper.pid;
  const renamed = node.at;
  const sameStat =
    base.kind === "cached" &&
    base.statAtLoad !== null &&
    base.knownStat !== null &&
    base.statAtLoad.mtimeMs === base.knownStat.mtimeMs &&
    base.statAtLoad.size === base.knownStat.size;
  // A cache whose stat had changed at the load should have been dropped: no window excuses it.
  // A base read from the file that lacks an atomic rename which had landed is impossible: the read
  // came first, whatever two processes' clocks say about a few microseconds (free-running runs
  // showed a read timed just after the rename it missed). So a read base is in the window.
  const readFirst = base.kind === "read" && landed !== undefined && landed.from <= renamed.to;
  const inWindow =
    readFirst ||
    (landed !== undefined && landed.to >= base.at && landed.from <= renamed.to && (base.kind !== "cached" || sameStat));
  if (otherProcess && inWindow) {
    const checkedAt = dropper.versions!.recheckedAt;
    // A rename that may have completed after the last look (their windows overlap) could not have
    // been seen; nor, for the same reason as above, one the re-read it was based on does not hold.
    if (checkedAt !== undefined && (landed.to > checkedAt || readFirst))
      return {
        allowed: "after-last-check",
        why: `it landed after ${dropper.actor}'s last re-check of the file, before its rename`,
      };
    if (declared(history, "mid-flight-drift"))
      return {
        allowed: "mid-flight-drift",
        why: `it landed between ${dropper.actor}'s load and its rename (mid-flight-drift, declared)`,
      };
  }
  if (otherProcess && sameStat && declared(history, "coarse-mtime")) {
    return {
      allowed: "coarse-mtime",
      why: `${dropper.actor} trusted its cache on the same mtime and size (coarse-mtime, declared)`,
    };
  }
  const because = !otherProcess
    ? "a writer of the same process, whose queue should have ordered them"
    : inWindow
      ? "inside its window, and the store does not declare mid-flight-drift"
      : base.kind === "cached"
        ? sameStat
          ? "from a cache the same stat kept trusted, and the store does not declare coarse-mtime"
          : "from a cache older than the file, whose stat had changed"
        : "from a read that did not see it";
  return { allowed: null, why: `written from ${baseText}: ${because}` };
}

function describeEffect(effect: Effect): string {
  if (effect.kind === "absent") return `${effect.key} removed`;
  if (effect.kind === "acp") return `${effect.key}.acp = ${JSON.stringify(effect.acp)}`;
  if (effect.kind === "acp-part")
    return Object.entries(effect.part)
      .map(([field, value]) => `${effect.key}.acp.${field} = ${JSON.stringify(value)}`)
      .join(", ");
  return `${effect.key} ${JSON.stringify(effect.fields)}`;
}

function lostWriteViolation(lost: LostWrite): Violation {
  const { write, droppedBy } = lost;
  const by = droppedBy.writer
    ? `${droppedBy.writer.actor}'s ${droppedBy.writer.label} (step ${droppedBy.step})`
    : `the file after step ${droppedBy.step}`;
  const message = `lost write: ${write.label} by ${write.actor} (step ${write.step}: ${describeEffect(lost.effect)}) is missing from version ${droppedBy.version}, written by ${by}; ${lost.why}`;
  return {
    ...violation(write.step, write.actor, "lost-write", message),
    lostWrite: {
      property: lost.property,
      droppedAt: droppedBy.step,
      version: droppedBy.version,
      base: droppedBy.writer?.base.kind === "unknown" ? null : (droppedBy.writer?.base.hash ?? null),
    },
  };
}
