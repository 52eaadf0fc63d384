import { randomBytes } from "node:crypto";
import { openSync, closeSync, ftruncateSync, writeSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { applyExternalChanges } from "../schedule/mutations.js";
import type { ExternalChange, ExternalStep } from "../schedule/schema.js";
import { sharedClockMs, type ClockWindow } from "../protocol.js";
import { mtimeNs, restoreMtimeExactly, setWholeSecondMtime } from "./mtime.js";
import { prettyJson, readStoreLenient, startingStore } from "./read-lenient.js";

/** Where and when an external operation happens. */
export type FaultContext = { storePath: string; stamp: number; coarseSecond: number | null };

/** What an external operation did (a small description) and when it touched the file (shared clock). */
export type ExternalDone = { value: unknown; window: ClockWindow };

/**
 * The external faults: what a maintenance script, an editor or a second tool does to the file
 * behind the gateways' backs. Each returns what it did and when, or throws.
 */
export function runExternalOp(ctx: FaultContext, step: ExternalStep): ExternalDone {
  const from = sharedClockMs();
  const timed = (value: unknown): ExternalDone => ({ value, window: { from, to: sharedClockMs() } });
  switch (step.op) {
    case "write":
      return timed(atomicWrite(ctx, editedText(ctx, step.changes)));
    case "delete-file":
      return timed(deleteFile(ctx, step.how));
    case "same-second-edit":
      return sameSecondEdit(ctx, step.changes, step.sameSize);
    case "rewrite-in-place":
      return timed(rewriteInPlace(ctx, editedText(ctx, step.changes)));
    case "bad-edit":
      return timed(rewriteInPlace(ctx, step.kind === "empty" ? "" : brokenText(ctx)));
  }
}

function editedText(ctx: FaultContext, changes: readonly ExternalChange[]): string {
  const store = startingStore(readStoreLenient(ctx.storePath));
  applyExternalChanges(store, changes, ctx.stamp);
  return prettyJson(store);
}

function stampMtime(ctx: FaultContext, path: string): void {
  if (ctx.coarseSecond !== null) setWholeSecondMtime(path, ctx.coarseSecond);
}

/** Temp in the same directory, then rename over the store: the inode changes. */
function atomicWrite(ctx: FaultContext, text: string) {
  const temp = join(dirname(ctx.storePath), `${basename(ctx.storePath)}.external.${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temp, text);
  stampMtime(ctx, temp);
  renameSync(temp, ctx.storePath);
  return { bytes: Buffer.byteLength(text) };
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
function brokenText(ctx: FaultContext): string {
  const read = readStoreLenient(ctx.storePath);
  const text = read.kind === "missing" ? "" : read.text;
  return `${text.slice(0, Math.floor(text.length / 2))}{"broken": `;
}

/**
 * New content, then the previous mtime restored to the nanosecond: what a coarse clock (FAT's
 * 2 s, SMB, one kernel tick) does by itself. With `sameSize` the new text is compacted and
 * padded with trailing spaces (valid JSON) to the old byte length, so the stat cannot change.
 */
function sameSecondEdit(ctx: FaultContext, changes: readonly ExternalChange[], sameSize: boolean): ExternalDone {
  const from = sharedClockMs();
  const read = readStoreLenient(ctx.storePath);
  if (read.kind === "missing") throw new Error(`same-second edit needs an existing file: ${ctx.storePath} is missing`);
  const previous = mtimeNs(ctx.storePath);
  const store = startingStore(read);
  applyExternalChanges(store, changes, ctx.stamp);
  const text = sameSize ? fitToSize(JSON.stringify(store), Buffer.byteLength(read.text)) : prettyJson(store);
  const result = atomicWrite({ ...ctx, coarseSecond: null }, text);
  // The rename is where the edit lands; restoring the mtime after it changes no content.
  const window = { from, to: sharedClockMs() };
  restoreMtimeExactly(ctx.storePath, previous);
  return { value: { ...result, previousMtimeNs: previous.toString() }, window };
}

function fitToSize(compact: string, size: number): string {
  const length = Buffer.byteLength(compact);
  if (length > size) {
    throw new Error(`same-size edit impossible: the new content needs ${length} bytes, the file has ${size}`);
  }
  return compact + " ".repeat(size - length);
}
