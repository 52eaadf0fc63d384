import { existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { ownWorkDirPrefix, type Mounted } from "./mounts/mount.js";
import { attachedLoopDevices, isMountPoint, mountPoints } from "./mounts/system.js";
import { defaultStoreModule } from "../../harness/paths.js";
import { ActorPool } from "../../harness/pool/pool.js";
import { isAlive, ownRunDirs, trackAcquired } from "../harness/helpers.js";

/** Prints why a test file's mount tests are skipped, once, at collection time. */
export function announceSkip(file: string, reason: string | null): void {
  if (reason) console.log(`${file}: skipped: ${reason}`);
}

/**
 * For a test whose needs `.ci/run` installs: locally a reason to skip, printed in one line;
 * under `CI=true` a failure of the file, since a skip there would hide that it never ran.
 */
export function skipLocallyFailInCi(file: string, reason: string | null): string | null {
  if (reason && process.env.CI === "true")
    throw new Error(`${file}: cannot run under CI=true, where .ci/run provides what it needs: ${reason}`);
  announceSkip(file, reason);
  return reason;
}

/** Mount points this process made (under its own `drift-mount-<pid>-` work dirs). */
export const ownMounts = (): string[] => mountPoints().filter((path) => path.startsWith(ownWorkDirPrefix()));

/** This process's mount work dirs still in the OS temp dir. */
export const ownWorkDirs = (): string[] =>
  readdirSync(tmpdir()).filter((name) => `${tmpdir()}/${name}`.startsWith(ownWorkDirPrefix()));

/** `losetup -a` lines whose backing file is one of this process's images. */
export const ownLoopDevices = async (): Promise<string[]> =>
  (await attachedLoopDevices()).filter((line) => line.includes(basename(ownWorkDirPrefix())));

/** Nothing of this process left: no mount, no loop device, no mount work dir, no run dir. */
export async function expectNothingLeft(): Promise<void> {
  expect(ownMounts()).toEqual([]);
  expect(await ownLoopDevices()).toEqual([]);
  expect(ownWorkDirs()).toEqual([]);
  expect(ownRunDirs()).toEqual([]);
}

/** After a `with…Mount` returned: its mount point, loop device, FUSE daemon and files are gone. */
export async function expectTornDown(mounted: Mounted): Promise<void> {
  expect(isMountPoint(mounted.path)).toBe(false);
  expect((await attachedLoopDevices()).filter((line) => line.includes(mounted.workDir))).toEqual([]);
  if (mounted.fusePid !== undefined)
    expect(isAlive(mounted.fusePid), `fusefat ${mounted.fusePid} should be gone`).toBe(false);
  expect(existsSync(mounted.workDir)).toBe(false);
  expect(existsSync(dirname(mounted.path))).toBe(false);
}

/**
 * One warm pool of the project's store for the file; every process it ever handed out is
 * checked dead after `close()`, and nothing of this process may be left over.
 */
export function useCheckedPool(): () => ActorPool {
  let pool: ActorPool | undefined;
  let handedOut: number[] = [];
  beforeAll(async () => {
    await expectNothingLeft();
    pool = new ActorPool({ storeModule: defaultStoreModule, stepTimeoutMs: 15_000 });
    handedOut = trackAcquired(pool);
  });
  afterAll(async () => {
    await pool?.close();
    expect(pool?.pids() ?? []).toEqual([]);
    expect(handedOut.filter(isAlive)).toEqual([]);
    await expectNothingLeft();
  });
  return () => {
    if (!pool) throw new Error("useCheckedPool: the pool exists only inside tests");
    return pool;
  };
}
