import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BaseVersion, ProducedVersion, StatPair, WriteVersions } from "../history/types.js";
import { sharedClockMs } from "../protocol.js";
import { storeChanges } from "../history/store-changes.js";
import { versionHash } from "../history/snapshot.js";

type StoreData = Record<string, unknown>;

/** A version this process holds: its hash, its parsed store (`{}` for missing or unparseable), the stat it was known with. */
type Known = { hash: string; store: StoreData; stat: StatPair; at: number };

const real = {
  readFileSync: fs.readFileSync,
  statSync: fs.statSync,
};

const hashOf = versionHash;

function parsed(bytes: Buffer | string): StoreData {
  try {
    const value: unknown = JSON.parse(bytes.toString());
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as StoreData) : {};
  } catch {
    return {};
  }
}

function isJsonObject(bytes: Buffer | string): boolean {
  try {
    const value: unknown = JSON.parse(bytes.toString());
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const pairOf = (s: fs.Stats | undefined): StatPair => (s ? { mtimeMs: s.mtimeMs, size: s.size } : null);

const statNow = (path: string): StatPair => pairOf(real.statSync(path, { throwIfNoEntry: false }));

/**
 * One writer call's view of the store file, filled by the file-call wrappers while the call runs
 * (`versionCalls`): its reads, its first stat, the base its mutator got and what it produced.
 */
export class WriteTracker {
  private lastRead: (Known & { at: number; text: Buffer | string | null }) | undefined;
  private firstStat: { pair: StatPair; at: number } | undefined;
  private base: { version: BaseVersion; store: () => StoreData } | undefined;
  private produced: ProducedVersion | null = null;
  private statAfterRename = false;
  /** A read after the mutator ran and before the rename (a store that re-checks), and its last look at the file then. */
  private recheck: { read: boolean; at: number } | undefined;

  /** `startedAt`: before the call (a process can be descheduled after it: the clock read then is late). */
  noteStat(pair: StatPair, startedAt: number): void {
    this.firstStat ??= { pair, at: startedAt };
    // The store's own stat after its rename is what its cache records (ours may have seen a later rename).
    if (this.produced && !this.statAfterRename && known?.hash === this.produced.hash) {
      this.statAfterRename = true;
      known = { ...known, stat: pair };
    }
    this.noteLook(false);
  }

  /** Any stat or read of the store file; one after the mutator ran is part of a re-check before the rename. */
  noteLook(read: boolean): void {
    if (!this.base || this.produced) return;
    this.recheck = { read: read || this.recheck?.read === true, at: sharedClockMs() };
  }

  noteRead(text: Buffer | string | null, startedAt: number): void {
    this.noteLook(true);
    const at = startedAt;
    const stat = this.firstStat?.pair ?? (text === null ? null : statNow(watched));
    // Parsed only if a write is based on it: most reads are, but a store may read more than once.
    this.lastRead = { hash: text === null ? "missing" : hashOf(text), store: {}, stat, at, text };
  }

  /** The mutator is called now: what the writer read last is what it got, or else what its cache holds. */
  noteMutatorCall(): void {
    const read = this.lastRead;
    const at = sharedClockMs();
    if (read) {
      const store = read.text === null ? {} : parsed(read.text);
      known = { hash: read.hash, store, stat: read.stat, at: read.at };
      this.base = { version: { kind: "read", hash: read.hash, at: read.at }, store: () => store };
    } else if (this.firstStat && this.firstStat.pair === null) {
      // A stat that found no file and no read: the writer starts from `{}`, as a missing file reads.
      this.base = { version: { kind: "read", hash: "missing", at }, store: () => ({}) };
    } else if (known) {
      const held = known;
      const statAtLoad = this.firstStat ? this.firstStat.pair : statNow(watched);
      // A cached base is as old as the version it holds: a change that landed since then, before the rename, is in the window.
      this.base = {
        version: { kind: "cached", hash: held.hash, at: held.at, statAtLoad, knownStat: held.stat },
        store: () => held.store,
      };
    } else this.base = { version: { kind: "unknown", at }, store: () => ({}) };
  }

  noteProduced(bytes: Buffer | string, at: { from: number; to: number }): void {
    const hash = hashOf(bytes);
    const store = isJsonObject(bytes) ? parsed(bytes) : null;
    const content: ProducedVersion["content"] = store
      ? { kind: "json", changes: storeChanges(this.base?.store() ?? {}, store) }
      : { kind: "unparseable" };
    this.produced = { hash, at, content };
    known = { hash, store: store ?? {}, stat: statNow(watched), at: at.from };
  }

  versions(): WriteVersions | null {
    if (!this.base && !this.produced) return null;
    const base = this.base?.version ?? { kind: "unknown" as const, at: this.produced?.at.from ?? sharedClockMs() };
    return { base, produced: this.produced, ...(this.recheck?.read ? { recheckedAt: this.recheck.at } : {}) };
  }
}

/** The writer call a file call was made for: the gateway runs each writer's call inside `run`. */
export const versionCalls = new AsyncLocalStorage<WriteTracker>();

/** The store file whose versions are tracked (absolute). */
let watched = "";
/** The last version this process read or produced in a writer call: what a cache can hold. */
let known: Known | undefined;

/** A run starts: its store path, and nothing known of it (the store's cache is cleared too). */
export function watchStoreFile(storePath: string): void {
  watched = resolve(storePath);
  known = undefined;
}

const pathOf = (path: fs.PathLike): string => resolve(path instanceof URL ? fileURLToPath(path) : String(path));
const isStore = (path: unknown): boolean =>
  watched !== "" &&
  (typeof path === "string" || path instanceof URL || Buffer.isBuffer(path)) &&
  pathOf(path as fs.PathLike) === watched;
const missing = (error: unknown): boolean =>
  ["ENOENT", "ENOTDIR"].includes((error as NodeJS.ErrnoException | null)?.code ?? "");
const isWriteFlag = (flags: unknown): boolean =>
  typeof flags === "string"
    ? /[wa+]/.test(flags)
    : typeof flags === "number" && (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR)) !== 0;

/** Open descriptors on the store file: a read through one is a read of the store, a write through one is in place. */
const storeFds = new Map<number, { write: boolean; chunks: (Buffer | string)[] }>();

/**
 * Wraps the file calls through which a store module can read its file, write it in place or
 * rename a new version onto it (default and named exports of `node:fs`, and `fs.promises`), so
 * that each writer call records the version it was based on and the one it produced: the
 * oracle that needs no model reads them (properties/checks/versions.ts). Calls outside a
 * writer call, and on other paths, pass through untouched. Installed before the store module is
 * imported, and before the rename checkpoint, so that its rename wrapper is the innermost one:
 * the rename is timed where it happens, not where a held writer waited.
 */
export function installFileVersions(): void {
  const orig = {
    readFileSync: fs.readFileSync,
    readFile: fs.readFile,
    promisesReadFile: fs.promises.readFile,
    statSync: fs.statSync,
    promisesStat: fs.promises.stat,
    openSync: fs.openSync,
    closeSync: fs.closeSync,
    promisesOpen: fs.promises.open,
    writeFileSync: fs.writeFileSync,
    promisesWriteFile: fs.promises.writeFile,
    renameSync: fs.renameSync,
    rename: fs.rename,
    promisesRename: fs.promises.rename,
  };
  const tracker = () => (watched === "" ? undefined : versionCalls.getStore());
  const readsStore = (target: unknown) => (typeof target === "number" ? storeFds.has(target) : isStore(target));

  fs.readFileSync = function readFileSync(path: unknown, ...rest: unknown[]) {
    const t = tracker();
    if (!t || !readsStore(path)) return (orig.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
    const started = sharedClockMs();
    try {
      const result = (orig.readFileSync as (...args: unknown[]) => Buffer | string)(path, ...rest);
      t.noteRead(result, started);
      return result;
    } catch (error) {
      if (missing(error)) t.noteRead(null, started);
      throw error;
    }
  } as typeof fs.readFileSync;

  fs.readFile = function readFile(path: unknown, ...rest: unknown[]) {
    const t = tracker();
    if (!t || !readsStore(path)) return (orig.readFile as (...args: unknown[]) => void)(path, ...rest);
    const callback = rest.pop() as (error: NodeJS.ErrnoException | null, data?: Buffer | string) => void;
    const started = sharedClockMs();
    (orig.readFile as (...args: unknown[]) => void)(
      path,
      ...rest,
      (error: NodeJS.ErrnoException | null, data?: Buffer | string) => {
        if (!error && data !== undefined) t.noteRead(data, started);
        else if (missing(error)) t.noteRead(null, started);
        callback(error, data);
      },
    );
  } as typeof fs.readFile;

  fs.promises.readFile = async function readFile(path: unknown, ...rest: unknown[]) {
    const t = tracker();
    const target = typeof path === "object" && path !== null && "fd" in path ? (path as { fd: number }).fd : path;
    if (!t || !readsStore(target))
      return (orig.promisesReadFile as (...args: unknown[]) => Promise<Buffer | string>)(path, ...rest);
    const started = sharedClockMs();
    try {
      const result = await (orig.promisesReadFile as (...args: unknown[]) => Promise<Buffer | string>)(path, ...rest);
      t.noteRead(result, started);
      return result;
    } catch (error) {
      if (missing(error)) t.noteRead(null, started);
      throw error;
    }
  } as typeof fs.promises.readFile;

  (fs as { statSync: unknown }).statSync = function statSync(path: unknown, ...rest: unknown[]) {
    const t = tracker();
    if (!t || !isStore(path)) return (orig.statSync as (...args: unknown[]) => unknown)(path, ...rest);
    const started = sharedClockMs();
    try {
      const result = (orig.statSync as (...args: unknown[]) => fs.Stats | undefined)(path, ...rest);
      if (result === undefined) t.noteStat(null, started);
      else if (typeof result.mtimeMs === "number") t.noteStat(pairOf(result), started);
      else t.noteLook(false);
      return result;
    } catch (error) {
      if (missing(error)) t.noteStat(null, started);
      throw error;
    }
  };

  fs.promises.stat = async function stat(path: unknown, ...rest: unknown[]) {
    const t = tracker();
    const started = sharedClockMs();
    try {
      const result = await (orig.promisesStat as (...args: unknown[]) => Promise<fs.Stats>)(path, ...rest);
      if (t && isStore(path) && typeof result.mtimeMs === "number") t.noteStat(pairOf(result), started);
      return result;
    } catch (error) {
      if (t && isStore(path) && missing(error)) t.noteStat(null, started);
      throw error;
    }
  } as typeof fs.promises.stat;

  fs.openSync = function openSync(path: fs.PathLike, ...rest: unknown[]): number {
    const fd = (orig.openSync as (...args: unknown[]) => number)(path, ...rest);
    if (tracker() && isStore(path)) storeFds.set(fd, { write: isWriteFlag(rest[0] ?? "r"), chunks: [] });
    return fd;
  } as typeof fs.openSync;

  fs.closeSync = function closeSync(fd: number): void {
    storeFds.delete(fd);
    orig.closeSync(fd);
  };

  fs.promises.open = async function open(path: fs.PathLike, flags?: string | number, mode?: fs.Mode) {
    const handle = await orig.promisesOpen(path, flags, mode);
    const t = tracker();
    if (!t || !isStore(path)) return handle;
    storeFds.set(handle.fd, { write: isWriteFlag(flags ?? "r"), chunks: [] });
    const fd = handle.fd;
    const entry = storeFds.get(fd)!;
    const { readFile, writeFile, close } = handle;
    handle.readFile = (async (...args: unknown[]) => {
      const started = sharedClockMs();
      const result = await (readFile as (...a: unknown[]) => Promise<Buffer | string>).apply(handle, args);
      t.noteRead(result, started);
      return result;
    }) as typeof handle.readFile;
    handle.writeFile = (async (data: unknown, ...args: unknown[]) => {
      await (writeFile as (...a: unknown[]) => Promise<void>).apply(handle, [data, ...args]);
      if (typeof data === "string" || Buffer.isBuffer(data)) entry.chunks.push(data);
    }) as typeof handle.writeFile;
    handle.close = async () => {
      const from = sharedClockMs();
      await close.apply(handle);
      storeFds.delete(fd);
      // An in-place write lands as the handle closes: its bytes are what it wrote through it.
      if (entry.write && entry.chunks.length > 0)
        t.noteProduced(Buffer.concat(entry.chunks.map((c) => Buffer.from(c))), { from, to: sharedClockMs() });
    };
    return handle;
  } as typeof fs.promises.open;

  fs.writeFileSync = function writeFileSync(file: unknown, data: unknown, ...rest: unknown[]): void {
    const from = sharedClockMs();
    (orig.writeFileSync as (...args: unknown[]) => void)(file, data, ...rest);
    const t = tracker();
    const inPlace = typeof file === "number" ? storeFds.get(file)?.write === true : isStore(file);
    if (t && inPlace && (typeof data === "string" || Buffer.isBuffer(data)))
      t.noteProduced(data, { from, to: sharedClockMs() });
  } as typeof fs.writeFileSync;

  fs.promises.writeFile = async function writeFile(file: unknown, data: unknown, ...rest: unknown[]): Promise<void> {
    const from = sharedClockMs();
    await (orig.promisesWriteFile as (...args: unknown[]) => Promise<void>)(file, data, ...rest);
    const t = tracker();
    if (t && isStore(file) && (typeof data === "string" || Buffer.isBuffer(data)))
      t.noteProduced(data, { from, to: sharedClockMs() });
  } as typeof fs.promises.writeFile;

  // The temp's bytes just before the rename are the version the rename puts in place.
  const renamed = (from: fs.PathLike, to: fs.PathLike) => {
    const t = tracker();
    if (!t || !isStore(to)) return undefined;
    let bytes: Buffer;
    try {
      bytes = real.readFileSync(from);
    } catch {
      return undefined;
    }
    const at = sharedClockMs();
    return () => t.noteProduced(bytes, { from: at, to: sharedClockMs() });
  };
  fs.renameSync = function renameSync(from: fs.PathLike, to: fs.PathLike): void {
    const landed = renamed(from, to);
    orig.renameSync(from, to);
    landed?.();
  };
  fs.rename = function rename(from: fs.PathLike, to: fs.PathLike, callback: fs.NoParamCallback): void {
    const landed = renamed(from, to);
    orig.rename(from, to, (error) => {
      if (!error) landed?.();
      callback(error);
    });
  } as typeof fs.rename;
  fs.promises.rename = async function rename(from: fs.PathLike, to: fs.PathLike): Promise<void> {
    const landed = renamed(from, to);
    await orig.promisesRename(from, to);
    landed?.();
  };
  syncBuiltinESMExports();
}
