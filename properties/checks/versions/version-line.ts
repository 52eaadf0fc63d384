import type { FileSnapshot, History, TimeWindow, VersionHash } from "../../../harness/history/types.js";
import type { Effect, Write } from "./effects.js";
import { sameJson } from "../../../harness/history/store-changes.js";

/**
 * One version of the store file on the line the oracle walks: produced by a write (`producer`),
 * or seen by the parent (the initial file, a step's `after`, the final file). `record`: the
 * record it belongs to (-1: before the first); `at`: when it landed on the run's clock.
 */
export type VersionNode = {
  hash: VersionHash;
  record: number;
  at: TimeWindow;
  producer: Write | null;
  content:
    | { kind: "changes"; base: VersionHash | null; changes: Record<string, unknown> }
    | { kind: "store"; store: Record<string, unknown> }
    | { kind: "absent" };
};

/** An entry as a version holds it: `unknown` when the version cannot be read back. */
export type EntryState = { kind: "entry"; entry: Record<string, unknown> } | { kind: "absent" } | { kind: "unknown" };

const FOREVER: TimeWindow = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };

function snapshotNode(snapshot: FileSnapshot, record: number, at: TimeWindow): VersionNode {
  const content: VersionNode["content"] =
    snapshot.content.kind === "json" ? { kind: "store", store: snapshot.content.store } : { kind: "absent" };
  return { hash: snapshot.hash ?? "missing", record, at, producer: null, content };
}

function producedNode(write: Write): VersionNode | undefined {
  const produced = write.versions?.produced;
  if (!produced) return undefined;
  const base = write.versions!.base;
  const content: VersionNode["content"] =
    produced.content.kind === "json"
      ? {
          kind: "changes",
          base: base.kind === "unknown" || base.hash === "missing" ? null : base.hash,
          changes: produced.content.changes,
        }
      : { kind: "absent" };
  return { hash: produced.hash, record: write.record.index, at: produced.at, producer: write, content };
}

/**
 * The versions of a history in the order they landed. Step-locked: record by record, each
 * record's produced versions in rename order, then its `after`. Free-running: every produced
 * version in rename order (the shared clock), then the final file.
 */
export function versionLine(history: History, writes: readonly Write[]): VersionNode[] {
  const byRenameEnd = (nodes: VersionNode[], earlier: readonly VersionNode[] = []) =>
    causalOrder(
      nodes.sort((a, b) => a.at.to - b.at.to),
      new Set(earlier.map((node) => node.hash)),
    );
  const produced = writes.flatMap((write) => producedNode(write) ?? []);
  if (history.mode === "free-running")
    return [...byRenameEnd(produced), snapshotNode(history.final, history.steps.length, FOREVER)];
  const line: VersionNode[] = [
    snapshotNode(history.initial, -1, { from: Number.NEGATIVE_INFINITY, to: Number.NEGATIVE_INFINITY }),
  ];
  for (const record of history.steps) {
    line.push(
      ...byRenameEnd(
        produced.filter((node) => node.record === record.index),
        line,
      ),
    );
    line.push(snapshotNode(record.after, record.index, { from: record.endedAt, to: record.endedAt }));
  }
  return line;
}

/**
 * Renames in the order they landed, where the clock cannot tell: a version written from another
 * (read from the file, or reused from a cache of it) landed after it, whatever the ends of two
 * overlapping rename windows say. Each version is moved after the producer of its base when no
 * earlier version has those bytes, on the line before these nodes (`before`) or among them;
 * bytes written twice, or over themselves, are left as timed. (A batch that deletes what it
 * just created writes the bytes of a version two steps back: that version is the base.)
 */
function causalOrder(nodes: VersionNode[], before: ReadonlySet<VersionHash>): VersionNode[] {
  const order = [...nodes];
  const baseOf = (node: VersionNode) => (node.content.kind === "changes" ? node.content.base : null);
  for (let pass = 0; pass < order.length; pass++) {
    let moved = false;
    for (let i = 0; i < order.length; i++) {
      const node = order[i]!;
      const base = baseOf(node);
      if (
        base === null ||
        base === node.hash ||
        before.has(base) ||
        order.slice(0, i).some((other) => other.hash === base)
      )
        continue;
      const producer = order.findIndex((other, j) => j > i && other.hash === base);
      if (producer < 0 || order.slice(i + 1, producer).some((other) => baseOf(other) === node.hash)) continue;
      order.splice(i, 1);
      order.splice(producer, 0, node);
      moved = true;
      break;
    }
    if (!moved) break;
  }
  return order;
}

/** Reads entries back from the versions of a line: a produced version is its base plus its changes. */
export class VersionContents {
  private readonly byHash = new Map<VersionHash, VersionNode>();

  constructor(line: readonly VersionNode[]) {
    for (const node of line) {
      const known = this.byHash.get(node.hash);
      // A full store beats a chain of changes; a version written over itself (same bytes) says nothing.
      const selfBased = node.content.kind === "changes" && node.content.base === node.hash;
      if (
        !known ||
        (node.content.kind !== "changes" && known.content.kind === "changes") ||
        (!selfBased && known.content.kind === "changes" && known.content.base === known.hash)
      ) {
        this.byHash.set(node.hash, node);
      }
    }
  }

  entry(hash: VersionHash | null, key: string, memo: Map<VersionHash, EntryState> = new Map()): EntryState {
    if (hash === null || hash === "missing") return { kind: "absent" };
    const remembered = memo.get(hash);
    if (remembered) return remembered;
    const node = this.byHash.get(hash);
    if (!node) return { kind: "unknown" };
    // Guards a cycle of bases (A over B over A): unknown, never a verdict.
    memo.set(hash, { kind: "unknown" });
    let state: EntryState;
    const content = node.content;
    if (content.kind === "absent") state = { kind: "absent" };
    else if (content.kind === "store") state = stateOf(content.store[key]);
    else if (Object.hasOwn(content.changes, key)) state = stateOf(content.changes[key]);
    else state = this.entry(content.base, key, memo);
    memo.set(hash, state);
    return state;
  }
}

const stateOf = (value: unknown): EntryState =>
  value === undefined || value === null
    ? { kind: "absent" }
    : typeof value === "object"
      ? { kind: "entry", entry: value as Record<string, unknown> }
      : { kind: "unknown" };

/** Whether an entry keeps an effect; an entry that cannot be read back keeps it (no verdict without evidence). */
export function holds(effect: Effect, state: EntryState): boolean {
  if (state.kind === "unknown") return true;
  switch (effect.kind) {
    case "absent":
      return state.kind === "absent";
    case "fields":
      return (
        state.kind === "entry" &&
        Object.entries(effect.fields).every(([field, value]) => sameJson(state.entry[field], value))
      );
    case "acp":
      return state.kind === "entry" && sameJson(state.entry.acp, effect.acp);
    case "acp-part": {
      // An acp-set on an entry with no binding changes nothing; a binding gone is the loss of
      // whoever bound it. What is checked: a binding that is there has the part.
      if (state.kind !== "entry" || state.entry.acp === null || typeof state.entry.acp !== "object") return true;
      const acp = state.entry.acp as Record<string, unknown>;
      return Object.entries(effect.part).every(([field, value]) => sameJson(acp[field], value));
    }
  }
}
