import { execaNode } from "execa";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { expect, it, vi } from "vitest";
import { distDir } from "../../harness/paths.js";
import { isAlive } from "../harness/helpers.js";

const cli = join(distDir, "cli", "main.js");

/** The pids whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${name}/status`, "utf8"))?.[1] === String(pid);
      } catch {
        return false; // gone while we looked
      }
    })
    .map(Number);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  it.runIf(existsSync("/proc"))(
    `explore stopped by ${signal} mid-run kills its children and removes its run directories`,
    { timeout: 120_000 },
    async () => {
      const tmp = await dir({ unsafeCleanup: true, prefix: "drift-signal-test-" });
      try {
        const out = join(tmp.path, "out");
        const cliRun = execaNode(cli, ["explore", "--runs", "100000", "--seed", "1", "--out", out], {
          reject: false,
          all: true,
          env: { TMPDIR: tmp.path, SESSION_STORE_LOG_LEVEL: "silent" },
        });
        const runDir = (name: string) => name.startsWith("drift-run-");
        const waiting = { timeout: 60_000, interval: 50 };
        await vi.waitFor(() => expect(readdirSync(tmp.path).some(runDir), "a run directory").toBe(true), waiting);
        const children = await vi.waitFor(() => {
          const pids = childrenOf(cliRun.pid!);
          expect(pids.length, "the actor processes").toBeGreaterThan(0);
          return pids;
        }, waiting);
        cliRun.kill(signal);
        const result = await cliRun;
        expect(result.exitCode, result.all).toBe(signal === "SIGINT" ? 130 : 143);
        expect(result.all).toContain(`${signal}: stopped`);
        // Killed as the CLI exited; gone once the signal is delivered.
        await vi.waitFor(() => {
          for (const pid of children) expect(isAlive(pid), `process ${pid}`).toBe(false);
        }, 5_000);
        expect(readdirSync(tmp.path).filter(runDir)).toEqual([]);
      } finally {
        await tmp.cleanup();
      }
    },
  );
}
