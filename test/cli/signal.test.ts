import { execaNode } from "execa";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { expect, it } from "vitest";
import { distDir } from "../../harness/paths.js";
import { expectDead } from "../harness/helpers.js";

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

function isDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
        await until("a run directory", () => (readdirSync(tmp.path).some(runDir) ? true : undefined));
        const children = await until("the actor processes", () => {
          const pids = childrenOf(cliRun.pid!);
          return pids.length > 0 ? pids : undefined;
        });
        cliRun.kill(signal);
        const result = await cliRun;
        expect(result.exitCode, result.all).toBe(signal === "SIGINT" ? 130 : 143);
        expect(result.all).toContain(`${signal}: stopped`);
        // Killed as the CLI exited; gone once the signal is delivered.
        await until("the children's exit", () => (children.every(isDead) ? true : undefined), 5_000);
        for (const pid of children) expectDead(pid);
        expect(readdirSync(tmp.path).filter(runDir)).toEqual([]);
      } finally {
        await tmp.cleanup();
      }
    },
  );
}
