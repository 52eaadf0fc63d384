import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { dir } from "tmp-promise";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreModule, projectRoot } from "../../harness/paths.js";
import { isAlive } from "../harness/helpers.js";
import { announceSkip } from "./helpers.js";

/**
 * A directory the writer may not write to. Root ignores permission bits, so the writer is a
 * child process running as nobody (uid/gid 65534) that imports the built store
 * (dist/src/index.js) and makes one `updateSessionStore` call.
 */
const NOBODY = 65534;
const script = join(projectRoot, "test", "faults", "fixtures", "write-store.mjs");
const PREFIX = `drift-eacces-${process.pid}-`;

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Decided at collection: root, a built store, and a checkout that uid 65534 can read. */
async function unavailableReason(): Promise<string | null> {
  const uid = process.getuid?.();
  if (uid !== 0) return `not root (uid ${uid ?? "none"}): starting the writer as uid ${NOBODY} needs root`;
  if (!existsSync(defaultStoreModule)) return `${defaultStoreModule} is missing: run npm run build first`;
  const probe = await execa(process.execPath, [script, "--probe", defaultStoreModule], { uid: NOBODY, gid: NOBODY, reject: false, timeout: 30_000 });
  if (probe.exitCode !== 0) {
    return `uid ${NOBODY} cannot import ${defaultStoreModule} (${oneLine(String(probe.stderr)).slice(0, 200)}): the checkout must be world-readable`;
  }
  return null;
}

const reason = await unavailableReason();
announceSkip("eacces", reason);

type Report = {
  pid: number;
  uid: number;
  gid: number;
  ok: boolean;
  name?: string;
  code?: string;
  syscall?: string;
  message?: string;
  tripwires: unknown[];
  listing: string[];
};

/** Runs one writer as nobody; returns its report. The child has exited when this returns. */
async function writeAsNobody(storePath: string): Promise<Report> {
  const subprocess = execa(process.execPath, [script, defaultStoreModule, storePath], {
    uid: NOBODY,
    gid: NOBODY,
    reject: false,
    timeout: 30_000,
    env: { SESSION_STORE_LOG_LEVEL: "silent" },
  });
  const child = await subprocess;
  expect(child.exitCode, String(child.stderr)).toBe(0);
  const report = JSON.parse(String(child.stdout)) as Report;
  expect(report.pid).toBe(subprocess.pid);
  expect(isAlive(report.pid)).toBe(false);
  return report;
}

const initialText = `${JSON.stringify({ a: { sessionId: "sid-a", updatedAt: 1, note: "n1" } }, null, 2)}\n`;
const statOf = (path: string) => {
  const s = statSync(path);
  return { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino, uid: s.uid };
};

/** A directory `dir/name` holding the initial store, with the given mode and owner. */
function storeDir(parent: string, name: string, mode: number, owner: number): string {
  const directory = join(parent, name);
  mkdirSync(directory);
  const storePath = join(directory, "sessions.json");
  writeFileSync(storePath, initialText);
  chmodSync(storePath, 0o644);
  chownSync(directory, owner, owner);
  chmodSync(directory, mode);
  return storePath;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("EACCES: a writer without write permission on the store's directory", () => {
  afterAll(() => {
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX))).toEqual([]);
  });

  it.skipIf(reason)("rejects with EACCES at the temp file; the store is byte for byte unchanged and no temp is left", async () => {
    const work = await dir({ prefix: PREFIX, unsafeCleanup: true });
    try {
      chmodSync(work.path, 0o755);
      const storePath = storeDir(work.path, "read-only", 0o555, 0);
      const bytes = readFileSync(storePath);
      const stat = statOf(storePath);

      const report = await writeAsNobody(storePath);

      expect(report).toEqual({
        pid: report.pid,
        uid: NOBODY,
        gid: NOBODY,
        ok: false,
        name: expect.any(String),
        code: "EACCES",
        syscall: "open",
        message: expect.stringMatching(
          new RegExp(`EACCES: permission denied, open '${escape(join(work.path, "read-only"))}/sessions\\.json\\.${report.pid}\\.[0-9a-f]+\\.tmp'`),
        ),
        tripwires: [],
        listing: ["sessions.json"],
      });
      expect(readFileSync(storePath).equals(bytes)).toBe(true);
      expect(statOf(storePath)).toEqual(stat);
      expect(readdirSync(join(work.path, "read-only"))).toEqual(["sessions.json"]);
    } finally {
      await work.cleanup();
    }
  });

  it.skipIf(reason)("control: the same child writes when the directory is its own (so EACCES above is the permission bits)", async () => {
    const work = await dir({ prefix: PREFIX, unsafeCleanup: true });
    try {
      chmodSync(work.path, 0o755);
      const storePath = storeDir(work.path, "own", 0o755, NOBODY);

      const report = await writeAsNobody(storePath);

      expect(report).toEqual({ pid: report.pid, uid: NOBODY, gid: NOBODY, ok: true, tripwires: [], listing: ["sessions.json"] });
      expect(JSON.parse(readFileSync(storePath, "utf8"))).toEqual({
        a: { sessionId: "sid-a", updatedAt: 1, note: "n1" },
        written: { sessionId: "sid-written", updatedAt: 7, note: "from the child" },
      });
      // Renamed in from the child's temp: the file is now the child's.
      expect(statSync(storePath).uid).toBe(NOBODY);
    } finally {
      await work.cleanup();
    }
  });
});
