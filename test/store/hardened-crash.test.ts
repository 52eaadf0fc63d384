/**
 * Crashes, with real processes killed by SIGKILL: a gateway killed while holding the store lock
 * blocks the others no longer than the stale timeout, and a writer killed between its
 * fingerprint write and its rename (or right after the rename) makes no false signal and hides
 * no real one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { distDir } from "../../harness/paths.js";
import { createSessionStore } from "../../src/create-store.js";
import { hardenedParts } from "../../src/hardened.js";
import { readFingerprint } from "../../src/hardened/fingerprint.js";
import { lockPathFor } from "../../src/hardened/store-lock.js";
import { serializeStore } from "../../src/persistence/read-store.js";
import { writeTextAtomic } from "../../src/persistence/write-atomic.js";
import type { SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import { entry, readStore, statOf, tempFilesIn, useTempDir } from "./helpers.js";

const STALE_MS = 2_000; // proper-lockfile's floor, to keep the tests short
const tmpDir = useTempDir();
let path: string;
let emitted: SessionStoreCacheInvalidated[];
let children: ChildProcess[];

beforeEach(() => {
  path = join(tmpDir(), "sessions.json");
  emitted = [];
  children = [];
});
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  vi.restoreAllMocks();
});

type LockTry = { result: "refused" | "taken"; lockAgeMs: number | null };

/**
 * Records every try of the store lock from now on (and the age of the lock directory it met),
 * so a test checks the order of what happened instead of timing it. `refused` settles at the
 * first refusal.
 */
function watchLockTries(onRefused: () => void = () => undefined): LockTry[] & { refused: Promise<void> } {
  const tries = [] as unknown as LockTry[] & { refused: Promise<void> };
  let firstRefusal!: () => void;
  tries.refused = new Promise((resolve) => (firstRefusal = resolve));
  const real = lockfile.lockSync.bind(lockfile);
  vi.spyOn(lockfile, "lockSync").mockImplementation((file, options) => {
    const lockAgeMs = existsSync(lockPathFor(path)) ? Date.now() - statSync(lockPathFor(path)).mtimeMs : null;
    try {
      const release = real(file, options);
      tries.push({ result: "taken", lockAgeMs });
      return release;
    } catch (error) {
      tries.push({ result: "refused", lockAgeMs });
      onRefused();
      firstRefusal();
      throw error;
    }
  });
  return tries;
}

function gateway() {
  const store = createSessionStore(hardenedParts({ lock: { staleMs: STALE_MS } }));
  store._setSessionStoreCacheInvalidatedEmitterForTest((p) => void emitted.push(p));
  return store;
}

/**
 * Runs `code` (an ES module body; the built modules are under process.env.DIST) in a child that
 * stays alive until killed; resolves when it prints "ready".
 */
async function childUntilReady(code: string): Promise<ChildProcess> {
  // Without a live handle the child would exit by itself, and proper-lockfile's exit handler
  // would remove the lock: not a crash.
  const child = spawn(process.execPath, ["--input-type=module", "-e", `setInterval(() => {}, 60_000);\n${code}`], {
    env: { ...process.env, STORE: path, DIST: distDir, STALE_MS: String(STALE_MS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
  return child;
}

async function sigkill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

/** A writer in a child that runs the hardened commit and is killed at its rename: before it, or just after. */
const commitThenHang = (when: "before-rename" | "after-rename") => `
  import { renameSync, writeFileSync } from "node:fs";
  const { guardedCommit } = await import(process.env.DIST + "/src/hardened/guarded-commit.js");
  const { readVersioned } = await import(process.env.DIST + "/src/hardened/disk-text.js");
  const storePath = process.env.STORE;
  const { stat, text: loaded } = readVersioned(storePath);
  const seen = { stat, text: loaded };
  const text = JSON.stringify({ ...JSON.parse(seen.text), crashed: { sessionId: "crashed", updatedAt: 9 } }, null, 2) + "\\n";
  const temp = storePath + "." + process.pid + ".0123456789ab.tmp";
  writeFileSync(temp, text);
  const commit = guardedCommit({ lock: { staleMs: Number(process.env.STALE_MS) } });
  void commit.commit({ storePath, seen, temp: { path: temp, text }, rename: async () => {
    if (${JSON.stringify(when)} === "after-rename") renameSync(temp, storePath);
    process.stdout.write("ready\\n");
    await new Promise(() => {});
  } });
`;

describe("the store lock", () => {
  it("a holder killed with SIGKILL blocks the next writer no longer than the stale timeout", async () => {
    writeFileSync(path, serializeStore({ a: entry("a") }));
    const holder = await childUntilReady(`
      const { withStoreLock } = await import(process.env.DIST + "/src/hardened/store-lock.js");
      void withStoreLock(process.env.STORE, { staleMs: Number(process.env.STALE_MS) }, async () => {
        process.stdout.write("ready\\n");
        await new Promise(() => {});
      });
    `);
    await sigkill(holder);
    expect(existsSync(lockPathFor(path))).toBe(true);

    const tries = watchLockTries();
    await gateway().updateSessionStore(path, (s) => void (s.b = entry("b")));

    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
    expect(existsSync(lockPathFor(path))).toBe(false);
    // It was refused while the dead holder's lock was fresh, and took it over only once stale
    // (the lock's mtime may be up to 1 s ahead: proper-lockfile probes the mtime precision with
    // a time rounded up); a take-over it waited for too long would have failed the write.
    expect(tries.map((t) => t.result)).toEqual([...tries.slice(0, -1).map(() => "refused"), "taken"]);
    expect(tries.length).toBeGreaterThan(1);
    expect(tries.at(-1)!.lockAgeMs).toBeGreaterThanOrEqual(STALE_MS - 1_000);
    expect(tries.slice(0, -1).every((t) => t.lockAgeMs! <= STALE_MS)).toBe(true);
  });

  it("a live holder makes the writer wait, not fail", async () => {
    const { withStoreLock } = await import("../../src/hardened/store-lock.js");
    let release!: () => void;
    const order: string[] = [];
    const held = withStoreLock(path, { staleMs: STALE_MS }, () => new Promise<void>((resolve) => (release = resolve)));
    const tries = watchLockTries(() => order.push("refused"));
    const writing = gateway()
      .updateSessionStore(path, (s) => void (s.a = entry("a")))
      .then(() => order.push("written"));
    // The writer asked for the lock and was refused: it is waiting, not failing.
    await tries.refused;
    order.push("released");
    release();
    await Promise.all([held, writing]);
    // Refused first, written only after the release (tries may still be refused until the holder's unlock).
    expect(order[0]).toBe("refused");
    expect(order.filter((event) => event !== "refused")).toEqual(["released", "written"]);
    expect(readStore(path)).toEqual({ a: entry("a") });
  });
});

describe("a writer killed between its fingerprint write and its rename", () => {
  it("leaves the store as it was, and the next writer without a cache signals nothing", async () => {
    await gateway().updateSessionStore(path, (s) => void (s.a = entry("a")));
    const before = readFileSync(path, "utf8");
    const child = await childUntilReady(commitThenHang("before-rename"));
    // The fingerprint already names the dead writer's pending write; its temp is still there.
    expect(readFingerprint(path)?.pending.temp).toBe(`sessions.json.${child.pid}.0123456789ab.tmp`);
    await sigkill(child);
    expect(readFileSync(path, "utf8")).toBe(before);
    expect(existsSync(lockPathFor(path))).toBe(true);

    await gateway().updateSessionStore(path, (s) => void (s.b = entry("b")));

    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), b: entry("b") });
    // The next write swept the dead writer's temp.
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });

  it("and a real change after the crash is still signalled, against the write that did land", async () => {
    await gateway().updateSessionStore(path, (s) => void (s.a = entry("a")));
    const landed = statOf(path);
    await sigkill(await childUntilReady(commitThenHang("before-rename")));
    await writeTextAtomic(path, serializeStore({ x: entry("x") }));

    await gateway().updateSessionStore(path, (s) => void (s.b = entry("b")));

    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({
      reason: "changed_since_last_write",
      expectedMtime: landed.mtimeMs,
      expectedSize: landed.size,
    });
    expect(readStore(path)).toEqual({ x: entry("x"), b: entry("b") });
  });
});

describe("a writer killed right after its rename", () => {
  it("landed: the next writer without a cache keeps its write and signals nothing", async () => {
    await gateway().updateSessionStore(path, (s) => void (s.a = entry("a")));
    await sigkill(await childUntilReady(commitThenHang("after-rename")));

    await gateway().updateSessionStore(path, (s) => void (s.b = entry("b")));

    expect(emitted).toEqual([]);
    expect(readStore(path)).toEqual({ a: entry("a"), crashed: { sessionId: "crashed", updatedAt: 9 }, b: entry("b") });
  });
});
