import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { dir } from "tmp-promise";
import { afterAll, describe, expect, it } from "vitest";
import { defaultStoreModule, projectRoot } from "../../harness/paths.js";
import { isAlive } from "../harness/helpers.js";
import { skipLocallyFailInCi } from "./helpers.js";

/**
 * A directory the writer may not write to. Root ignores permission bits only through
 * CAP_DAC_OVERRIDE (and CAP_DAC_READ_SEARCH), so the writer is a child process that is root
 * without those two capabilities (`setpriv` drops them from its bounding set): permission bits
 * apply to it, and it can still read the checkout it owns, wherever CI cloned it. It imports
 * the built store (dist/src/index.js) and makes one `updateSessionStore` call.
 */
const ROOT = 0;
const dropDac = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--"];
const script = join(projectRoot, "test", "faults", "fixtures", "write-store.mjs");
const PREFIX = `drift-eacces-${process.pid}-`;

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Decided at collection: root, setpriv, and a built store the capability-less child can import. */
async function unavailableReason(): Promise<string | null> {
  const uid = process.getuid?.();
  if (uid !== ROOT)
    return `not root (uid ${uid ?? "none"}): a writer that permission bits apply to is made by dropping root's DAC capabilities`;
  if (!existsSync(defaultStoreModule)) return `${defaultStoreModule} is missing: run npm run build first`;
  const probe = await execa("setpriv", [...dropDac, process.execPath, script, "--probe", defaultStoreModule], {
    reject: false,
    timeout: 30_000,
  });
  if (probe.exitCode !== 0) {
    return `setpriv (util-linux) could not start the writer without CAP_DAC_OVERRIDE: ${oneLine(String(probe.stderr || probe.message)).slice(0, 200)}`;
  }
  return null;
}

const reason = skipLocallyFailInCi("eacces", await unavailableReason());

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

/** Runs one writer without DAC override; returns its report. The child has exited when this returns. */
async function writeWithoutDacOverride(storePath: string): Promise<Report> {
  const subprocess = execa("setpriv", [...dropDac, process.execPath, script, defaultStoreModule, storePath], {
    reject: false,
    timeout: 30_000,
    env: { SESSION_STORE_LOG_LEVEL: "silent" },
  });
  const child = await subprocess;
  expect(child.exitCode, String(child.stderr)).toBe(0);
  const report = JSON.parse(String(child.stdout)) as Report;
  // setpriv execs node in place: same process.
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

  it.skipIf(reason)(
    "rejects with EACCES at the temp file; the store is byte for byte unchanged and no temp is left",
    async () => {
      const work = await dir({ prefix: PREFIX, unsafeCleanup: true });
      try {
        chmodSync(work.path, 0o755);
        const storePath = storeDir(work.path, "read-only", 0o555, 0);
        const bytes = readFileSync(storePath);
        const stat = statOf(storePath);

        const report = await writeWithoutDacOverride(storePath);

        expect(report).toEqual({
          pid: report.pid,
          uid: ROOT,
          gid: ROOT,
          ok: false,
          name: expect.any(String),
          code: "EACCES",
          syscall: "open",
          message: expect.stringMatching(
            new RegExp(
              `EACCES: permission denied, open '${escape(join(work.path, "read-only"))}/sessions\\.json\\.${report.pid}\\.[0-9a-f]+\\.tmp'`,
            ),
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
    },
  );

  it.skipIf(reason)(
    "control: the same child writes when the directory's bits allow it (so EACCES above is the permission bits)",
    async () => {
      const work = await dir({ prefix: PREFIX, unsafeCleanup: true });
      try {
        chmodSync(work.path, 0o755);
        const storePath = storeDir(work.path, "writable", 0o755, ROOT);

        const report = await writeWithoutDacOverride(storePath);

        expect(report).toEqual({
          pid: report.pid,
          uid: ROOT,
          gid: ROOT,
          ok: true,
          tripwires: [],
          listing: ["sessions.json"],
        });
        expect(JSON.parse(readFileSync(storePath, "utf8"))).toEqual({
          a: { sessionId: "sid-a", updatedAt: 1, note: "n1" },
          written: { sessionId: "sid-written", updatedAt: 7, note: "from the child" },
        });
        expect(statSync(storePath).uid).toBe(ROOT);
      } finally {
        await work.cleanup();
      }
    },
  );
});
