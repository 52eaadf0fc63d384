import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { isNotFound, type StatPair } from "../freshness/stat.js";
import { parseStoreText, serializeStore } from "../persistence/read-store.js";
import { sha256 } from "./disk-text.js";

/**
 * The fingerprint beside the store (`<store>.fingerprint`): what the store last wrote, kept on
 * disk so that a writer with no cache entry, in any process, can tell whether the file changed
 * since. It is written under the store lock, before the re-check and the rename (and put back
 * when the re-check finds a change), as
 *
 * - `pending`: the write about to land (sha256 of its text, its temp's stat, the temp's name);
 * - `landed`: the write that landed before it.
 *
 * A crash between this write and the rename leaves `pending.temp` on disk (the rename would
 * have consumed it), so a temp that still exists means "pending never landed": readers then
 * fall back to `landed`. That keeps a crash in that window from raising a false signal (the
 * unchanged file against a write that never happened) or hiding a real one.
 */
export type WriteRecord = StatPair & { sha256: string };
export type Fingerprint = { landed: WriteRecord | null; pending: WriteRecord & { temp: string } };

const WriteRecordSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mtimeMs: z.number(),
  size: z.number(),
});
const FileSchema = z.strictObject({
  v: z.literal(1),
  landed: WriteRecordSchema.nullable(),
  pending: WriteRecordSchema.extend({ temp: z.string().min(1) }),
  check: z.string(),
});

export const fingerprintPath = (storePath: string): string => `${storePath}.fingerprint`;

/**
 * Fixed length, rewritten in place: an overwrite of the same length is a page-cache copy, far
 * cheaper than a truncating rewrite or a temp + rename (docs/hardened.md has the figures).
 * A reader racing the overwrite could see a torn mix: `check` (a hash of the rest) catches it.
 */
const LENGTH = 512;

function encode(fingerprint: Fingerprint): string {
  const body = { landed: fingerprint.landed, pending: fingerprint.pending };
  const text = JSON.stringify({ v: 1, ...body, check: sha256(JSON.stringify(body)) });
  const bytes = Buffer.byteLength(text);
  return bytes < LENGTH ? `${text}${" ".repeat(LENGTH - 1 - bytes)}\n` : `${text}\n`;
}

function decode(text: string): Fingerprint | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = FileSchema.safeParse(value);
  if (!parsed.success) return null;
  // The check is over the fields as written (key order included), not as zod rebuilt them.
  const raw = value as { landed: unknown; pending: unknown };
  if (sha256(JSON.stringify({ landed: raw.landed, pending: raw.pending })) !== parsed.data.check) return null;
  return { landed: parsed.data.landed, pending: parsed.data.pending };
}

/** The fingerprint, or `null` when there is none (or none readable: a torn read is retried). */
export function readFingerprint(storePath: string): Fingerprint | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    let text: string;
    try {
      text = readFileSync(fingerprintPath(storePath), "utf8");
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
    const fingerprint = decode(text);
    if (fingerprint) return fingerprint;
  }
  return null;
}

export function writeFingerprint(storePath: string, fingerprint: Fingerprint): void {
  const text = encode(fingerprint);
  const path = fingerprintPath(storePath);
  let fd: number;
  try {
    fd = openSync(path, "r+");
  } catch (error) {
    if (!isNotFound(error)) throw error;
    fd = openSync(path, "w", 0o600);
  }
  try {
    writeSync(fd, text, 0, "utf8");
    if (fstatSync(fd).size !== Buffer.byteLength(text)) ftruncateSync(fd, Buffer.byteLength(text));
  } finally {
    closeSync(fd);
  }
}

/** Puts back what was there before a write that then did not land (a change found, a failed rename). */
export function restoreFingerprint(storePath: string, previous: Fingerprint | null): void {
  if (previous) writeFingerprint(storePath, previous);
  else unlinkSync(fingerprintPath(storePath));
}

/** The pending write never landed: its temp is still there (a crash before the rename). */
const pendingOpen = (storePath: string, fingerprint: Fingerprint): boolean =>
  existsSync(join(dirname(storePath), fingerprint.pending.temp));

const landedRecord = ({ sha256, mtimeMs, size }: WriteRecord): WriteRecord => ({ sha256, mtimeMs, size });

/** Under the store lock (no commit under way): the write the store last landed, if any. */
export function lastLanded(storePath: string, fingerprint: Fingerprint | null): WriteRecord | null {
  if (!fingerprint) return null;
  return pendingOpen(storePath, fingerprint) ? fingerprint.landed : landedRecord(fingerprint.pending);
}

/**
 * Without the lock (a commit may be under way, between its fingerprint and its rename): the
 * writes that may be the last landed one, most likely first; empty when none surely landed.
 */
export function possiblyLanded(storePath: string, fingerprint: Fingerprint): WriteRecord[] {
  if (!pendingOpen(storePath, fingerprint)) return [fingerprint.pending];
  return fingerprint.landed ? [fingerprint.landed, fingerprint.pending] : [];
}

/**
 * Does `text` hold one of these writes? Same bytes, or (a reformatting edit) the same store:
 * the text parsed and serialized as the store writes it.
 */
export function holdsOneOf(records: readonly WriteRecord[], text: string | null): boolean {
  if (text === null || records.length === 0) return false;
  const hashes = new Set(records.map((record) => record.sha256));
  if (hashes.has(sha256(text))) return true;
  try {
    return hashes.has(sha256(serializeStore(parseStoreText("", text))));
  } catch {
    return false;
  }
}

/** The record a commit writes for its temp: the hash of its text and its stat as it will land. */
export function recordFor(temp: { path: string; text: string }, stat: StatPair): WriteRecord & { temp: string } {
  return { sha256: sha256(temp.text), mtimeMs: stat.mtimeMs, size: stat.size, temp: basename(temp.path) };
}
