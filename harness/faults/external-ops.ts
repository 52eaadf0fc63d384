import { randomBytes } from "node:crypto";
import { openSync, closeSync, ftruncateSync, writeSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { applyExternalChanges } from "../schedule/mutations.js";
import type { ExternalChange, ExternalStep } from "../schedule/schema.js";
import { sharedClockMs, type ClockWindow } from "../protocol.js";
import { mtimeNs, restoreMtimeExactly, setWholeSecondMtime } from "./mtime.js";
import { prettyJson, readStoreLenient, startingStore, type LenientRead } from "./read-lenient.js";
import { externalVersions } from "./write-versions.js";
import type { WriteVersions } from "../history/types.js";

/** Where and when an external operation happens. */
export type FaultContext = { storePath: string; stamp: number; coarseSecond: number | null };

/**
 * What an external operation did (a small description), when it touched the file (shared
 * clock), and the versions it read and left: the external knows both.
 */
export type ExternalDone = { value: unknown; window: ClockWindow; versions: WriteVersions };

/**
 * The external faults: what a maintenance script, an editor or a second tool does to the file
 * behind the gateways' backs. Each returns what it did and when, or throws.
 */
export function runExternalOp(ctx: FaultContext, step: ExternalStep): ExternalDone {
  const from = sharedClockMs();
  const read = readStoreLenient(ctx.storePath);
  const readAt = sharedClockMs();
  const done = (value: unknown, text: string | null, landed: ClockWindow): ExternalDone => ({
    value,
    window: { from, to: sharedClockMs() },
    versions: externalVersions(read, readAt, text, landed),
  });
  switch (step.op) {
    case "write": {
      const text = editedText(ctx, read, step.changes);
      const { value, landed } = atomicWrite(ctx, text);
      return done(value, text, landed);
    }
    case "delete-file": {
      const at = sharedClockMs();
      const value = deleteFile(ctx, step.how);
      return done(value, null, { from: at, to: sharedClockMs() });
    }
    case "same-second-edit":
      return sameSecondEdit(ctx, read, readAt, step.changes, step.sameSize);
    case "rewrite-in-place": {
      const text = editedText(ctx, read, step.changes);
      const at = sharedClockMs();
      const value = rewriteInPlace(ctx, text);
      return done(value, text, { from: at, to: sharedClockMs() });
    }
    case "bad-edit": {
      const text = step.kind === "empty" ? "" : brokenText(read);
      const at = sharedClockMs();
      const value = rewriteInPlace(ctx, text);
      return done(value, text, { from: at, to: sharedClockMs() });
    }
  }
}

function editedText(ctx: FaultContext, read: LenientRead, changes: readonly ExternalChange[]): string {
  // A copy: the read stays the base its versions are told against.
  const store = structuredClone(startingStore(read));
  applyExternalChanges(store, changes, ctx.stamp);
  return prettyJson(store);
}

function stampMtime(ctx: FaultContext, path: string): void {
  if (ctx.coarseSecond !== null) setWholeSecondMtime(path, ctx.coarseSecond);
}

/** Temp in the same directory, then rename over the store: the inode changes. `landed`: the rename. */
function atomicWrite(ctx: FaultContext, text: string): { value: { bytes: number }; landed: ClockWindow } {
  const temp = join(
    dirname(ctx.storePath),
    `${basename(ctx.storePath)}.external.${randomBytes(4).toString("hex")}.tmp`,
  );
  writeFileSync(temp, text);
  stampMtime(ctx, temp);
  const from = sharedClockMs();
  renameSync(temp, ctx.storePath);
  return { value: { bytes: Buffer.byteLength(text) }, landed: { from, to: sharedClockMs() } };
}

/** Truncate and write through the same inode, as an editor that saves in place does. */
function rewriteInPlace(ctx: FaultContext, text: string) {
  const fd = openSync(ctx.storePath, "a+");
  try {
    ftruncateSync(fd, 0);
    if (text.length > 0) writeSync(fd, text, 0, "utf8");
  } finally {
    closeSync(fd);
  }
  stampMtime(ctx, ctx.storePath);
  return { bytes: Buffer.byteLength(text) };
}

function deleteFile(ctx: FaultContext, how: "unlink" | "rename-away") {
  if (how === "unlink") unlinkSync(ctx.storePath);
  else renameSync(ctx.storePath, `${ctx.storePath}.moved-${ctx.stamp}`);
  return { how };
}

/** A bad manual edit: the first half of the file, which no JSON parser accepts. */
function brokenText(read: LenientRead): string {
  const text = read.kind === "missing" ? "" : read.text;
  return `${text.slice(0, Math.floor(text.length / 2))}{"broken": `;
}

/**
 * New content, then the previous mtime restored to the nanosecond: what a coarse clock (FAT's
 * 2 s, SMB, one kernel tick) does by itself. With `sameSize` the new text is compacted and
 * padded with trailing spaces (valid JSON) to the old byte length, so the stat cannot change.
 */
function sameSecondEdit(
  ctx: FaultContext,
  read: LenientRead,
  readAt: number,
  changes: readonly ExternalChange[],
  sameSize: boolean,
): ExternalDone {
  const from = sharedClockMs();
  if (read.kind === "missing") throw new Error(`same-second edit needs an existing file: ${ctx.storePath} is missing`);
  const previous = mtimeNs(ctx.storePath);
  const store = structuredClone(startingStore(read));
  applyExternalChanges(store, changes, ctx.stamp);
  const text = sameSize ? fitToSize(JSON.stringify(store), Buffer.byteLength(read.text)) : prettyJson(store);
  const { value: result, landed } = atomicWrite({ ...ctx, coarseSecond: null }, text);
  // The rename is where the edit lands; restoring the mtime after it changes no content.
  const window = { from, to: sharedClockMs() };
  restoreMtimeExactly(ctx.storePath, previous);
  return {
    value: { ...result, previousMtimeNs: previous.toString() },
    window,
    versions: externalVersions(read, readAt, text, landed),
  };
}

function fitToSize(compact: string, size: number): string {
  const length = Buffer.byteLength(compact);
  if (length > size) {
    throw new Error(`same-size edit impossible: the new content needs ${length} bytes, the file has ${size}`);
  }
  return compact + " ".repeat(size - length);
}
