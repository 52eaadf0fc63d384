/**
 * Real file systems for fault tests: a FAT image (2 s mtimes), a loop ext4 image and a
 * size-limited tmpfs, each mounted on a fresh directory and always torn down afterwards
 * (unmount, lazy unmount if busy, loop device detached, FUSE daemon reaped, image and
 * directories removed), whether the body succeeded or threw. Everything needs root.
 *
 * @example
 * await withFatMount({}, async (fat) => {
 *   writeFileSync(join(fat.path, "x"), "1"); // statSync(...).mtimeMs is a multiple of 2000
 * });
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { execa } from "execa";
import {
  Cleanup,
  MountError,
  detachLoop,
  findTool,
  isMountPoint,
  loopControlReason,
  notRootReason,
  run,
  unmount,
} from "./system.js";

export type MountKind = "vfat-loop" | "vfat-fuse" | "ext4-loop" | "tmpfs";

export type Mounted = {
  kind: MountKind;
  /** The mount point: the root of the new file system, a directory of its own. */
  path: string;
  /** One line for logs, e.g. `vfat 16 MiB on /dev/loop3 at /tmp/drift-mount-…/mnt`. */
  description: string;
  /** The image file (loop and FUSE kinds). */
  image?: string;
  /** The loop device (loop kinds). */
  loopDevice?: string;
  /** The FUSE daemon's pid (`vfat-fuse`); it is reaped by the cleanup. */
  fusePid?: number;
  /** The directory holding the image and the mount point; removed by the cleanup. */
  workDir: string;
};

/**
 * Work directories are `drift-mount-<pid>-<random>` in the OS temp dir, so a test process can
 * check that none of its own is left, whatever other processes mount meanwhile.
 */
export const WORK_DIR_PREFIX = "drift-mount-";
export const ownWorkDirPrefix = (pid = process.pid): string => join(tmpdir(), `${WORK_DIR_PREFIX}${pid}-`);

type Maker = (cleanup: Cleanup, workDir: string) => Promise<Mounted>;

/**
 * Makes a mount, runs `use` on it and tears it down whatever happens. If both `use` and the
 * teardown fail, the error of `use` is thrown and the teardown's is attached as its `cause`
 * when it has none (and printed).
 */
async function withMount<T>(make: Maker, use: (mounted: Mounted) => Promise<T>): Promise<T> {
  const cleanup = new Cleanup();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    const workDir = mkdtempSync(ownWorkDirPrefix());
    cleanup.defer(`remove ${workDir}`, () => rmSync(workDir, { recursive: true, force: true }));
    const mounted = await make(cleanup, workDir);
    outcome = { ok: true, value: await use(mounted) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  try {
    await cleanup.run();
  } catch (teardown) {
    if (outcome.ok) throw teardown;
    console.error(`mount teardown after a failure: ${(teardown as Error).message}`);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

async function makeImage(workDir: string, sizeMb: number): Promise<string> {
  const image = join(workDir, "image.img");
  // A sparse file: the file system's size without writing it.
  await run("truncate", ["-s", `${sizeMb}M`, image]);
  return image;
}

function makeMountPoint(cleanup: Cleanup, workDir: string): string {
  const path = join(workDir, "mnt");
  mkdirSync(path);
  // Registered before mounting: a mount that half-succeeded is still undone.
  cleanup.defer(`unmount ${path}`, () => unmount(path));
  return path;
}

async function attachLoop(cleanup: Cleanup, image: string): Promise<string> {
  const device = (await run("losetup", ["--find", "--show", image])).trim();
  if (!device.startsWith("/dev/"))
    throw new MountError(`losetup --find --show ${image} printed ${JSON.stringify(device)}`);
  cleanup.defer(`detach ${device}`, () => detachLoop(device, image));
  return device;
}

/**
 * A loop mount of a fresh image with its own cleanup: if the mount fails, the loop device is
 * detached at once (before any fallback is tried), not only at the end.
 */
async function loopMount(
  workDir: string,
  image: string,
  fsType: "vfat" | "ext4",
  options: string[],
): Promise<{ device: string; path: string; undo: Cleanup }> {
  const undo = new Cleanup();
  try {
    const device = await attachLoop(undo, image);
    const path = makeMountPoint(undo, workDir);
    await run("mount", ["-t", fsType, ...(options.length > 0 ? ["-o", options.join(",")] : []), device, path]);
    return { device, path, undo };
  } catch (error) {
    await undo.run().catch((teardown: unknown) => console.error(`loop mount teardown: ${(teardown as Error).message}`));
    rmSync(join(workDir, "mnt"), { recursive: true, force: true });
    throw error;
  }
}

/** The FUSE fallback: `fusefat` in the foreground, as our child, until the mount shows up. */
async function fuseFatMount(cleanup: Cleanup, workDir: string, image: string): Promise<{ path: string; pid: number }> {
  const fusefat = findTool("fusefat");
  if (!fusefat) throw new MountError("fusefat is not installed (Debian: fusefat)");
  if (!findTool("umount")) throw new MountError("umount is not installed");
  const path = makeMountPoint(cleanup, workDir);
  // -f: stays our child (we can reap it); -s: one thread; rw+: read-write (fusefat's own flag).
  const child = execa(fusefat, ["-f", "-s", "-o", "rw+", image, path], {
    reject: false,
    cleanup: true,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const pid = child.pid;
  if (pid === undefined) throw new MountError("fusefat did not start");
  let exited = false;
  const done = child.then((result) => {
    exited = true;
    return result;
  });
  // Runs before the mount point's own unmount step (LIFO): unmount, then reap the daemon.
  cleanup.defer(`reap fusefat ${pid}`, async () => {
    if (!exited) {
      await unmount(path).catch(() => undefined);
      const result = await Promise.race([done, delay(5_000, null, { ref: false })]);
      if (result === null) {
        child.kill("SIGKILL");
        await done;
      }
    }
  });
  const deadline = Date.now() + 10_000;
  while (!isMountPoint(path)) {
    if (exited) {
      const result = await done;
      throw new MountError(
        `fusefat exited before mounting: ${(result.stderr || `code ${result.exitCode}`).replace(/\s+/g, " ").trim()}`,
      );
    }
    if (Date.now() > deadline) throw new MountError("fusefat did not mount within 10 s");
    await delay(20);
  }
  return { path, pid };
}

export type FatOptions = {
  /** Image size, MiB (default 16: FAT16). */
  sizeMb?: number;
  /** `auto` (default): the kernel's vfat on a loop device, else fusefat on the image. */
  via?: "auto" | "loop" | "fuse";
};

/**
 * A fresh FAT file system: `mkfs.vfat` on a sparse image, mounted with the kernel's vfat on a
 * loop device; where the kernel has no vfat (no module for it), through `fusefat`. Either way
 * mtimes come in the 2 s steps FAT stores.
 */
export function withFatMount<T>(opts: FatOptions, use: (mounted: Mounted) => Promise<T>): Promise<T> {
  const sizeMb = opts.sizeMb ?? 16;
  const via = opts.via ?? "auto";
  return withMount(async (cleanup, workDir) => {
    const image = await makeImage(workDir, sizeMb);
    // No volume label: fusefat would list a label as a directory entry.
    await run("mkfs.vfat", [image]);
    let loopFailure: string | undefined;
    if (via !== "fuse") {
      try {
        const { device, path, undo } = await loopMount(workDir, image, "vfat", []);
        cleanup.defer("loop mount", () => undo.run());
        return {
          kind: "vfat-loop",
          path,
          image,
          loopDevice: device,
          workDir,
          description: `vfat ${sizeMb} MiB on ${device} at ${path}`,
        };
      } catch (error) {
        if (via === "loop") throw error;
        loopFailure = (error as Error).message;
      }
    }
    try {
      const { path, pid } = await fuseFatMount(cleanup, workDir, image);
      const why = loopFailure ? ` (kernel vfat: ${loopFailure})` : "";
      return {
        kind: "vfat-fuse",
        path,
        image,
        fusePid: pid,
        workDir,
        description: `vfat ${sizeMb} MiB through fusefat ${pid} at ${path}${why}`,
      };
    } catch (error) {
      throw new MountError(
        loopFailure ? `${loopFailure}; fallback: ${(error as Error).message}` : (error as Error).message,
      );
    }
  }, use);
}

/** A fresh ext4 file system on a loop device (no journal, no reserved blocks, ns timestamps). */
export function withExt4LoopMount<T>(opts: { sizeMb?: number }, use: (mounted: Mounted) => Promise<T>): Promise<T> {
  const sizeMb = opts.sizeMb ?? 8;
  return withMount(async (cleanup, workDir) => {
    const image = await makeImage(workDir, sizeMb);
    // -I 256: inodes with nanosecond times (small file systems default to 128-byte inodes, whole seconds).
    await run("mkfs.ext4", ["-q", "-F", "-m", "0", "-I", "256", "-O", "^has_journal", image]);
    const { device, path, undo } = await loopMount(workDir, image, "ext4", []);
    cleanup.defer("loop mount", () => undo.run());
    return {
      kind: "ext4-loop",
      path,
      image,
      loopDevice: device,
      workDir,
      description: `ext4 ${sizeMb} MiB on ${device} at ${path}`,
    };
  }, use);
}

/** A fresh tmpfs of `sizeBytes` (rounded up to pages by the kernel). */
export function withTmpfsMount<T>(opts: { sizeBytes: number }, use: (mounted: Mounted) => Promise<T>): Promise<T> {
  return withMount(async (cleanup, workDir) => {
    const path = makeMountPoint(cleanup, workDir);
    await run("mount", ["-t", "tmpfs", "-o", `size=${opts.sizeBytes},mode=0755`, "drift-tmpfs", path]);
    return { kind: "tmpfs", path, workDir, description: `tmpfs of ${opts.sizeBytes} bytes at ${path}` };
  }, use);
}

/**
 * Why `withFatMount` cannot work here, or `null` when a probe mount worked and showed 2 s
 * mtimes. Meant for test collection: `it.skipIf(reason)`. The probe mounts and tears down a
 * 2 MiB image.
 */
export async function fatUnavailableReason(opts: FatOptions = {}): Promise<string | null> {
  const early =
    notRootReason() ?? (findTool("mkfs.vfat") ? null : "mkfs.vfat is missing (Debian: apt-get install dosfstools)");
  if (early) return early;
  if (loopControlReason() && !findTool("fusefat")) return `${loopControlReason()}, and fusefat is not installed`;
  try {
    return await withFatMount({ ...opts, sizeMb: 2 }, async (fat) => {
      const probe = join(fat.path, "probe.txt");
      const times: number[] = [];
      for (const text of ["a", "bb", "ccc"]) {
        writeFileSync(probe, text);
        times.push(statSync(probe).mtimeMs);
      }
      const fine = times.filter((ms) => ms % 2000 !== 0);
      return fine.length === 0
        ? null
        : `the FAT mount (${fat.kind}) gave mtimes that are not in 2 s steps: ${fine.join(", ")}`;
    });
  } catch (error) {
    return `cannot mount a FAT image: ${(error as Error).message}`;
  }
}

/** Why `withTmpfsMount` cannot work here, or `null` after a probe mount. */
export async function tmpfsUnavailableReason(): Promise<string | null> {
  const early = notRootReason();
  if (early) return early;
  try {
    return await withTmpfsMount({ sizeBytes: 64 * 1024 }, async () => null);
  } catch (error) {
    return `cannot mount a tmpfs: ${(error as Error).message}`;
  }
}

/** Why `withExt4LoopMount` cannot work here, or `null` after a probe mount. */
export async function ext4LoopUnavailableReason(): Promise<string | null> {
  const early =
    notRootReason() ??
    loopControlReason() ??
    (findTool("mkfs.ext4") ? null : "mkfs.ext4 is missing (Debian: e2fsprogs)");
  if (early) return early;
  try {
    return await withExt4LoopMount({ sizeMb: 2 }, async () => null);
  } catch (error) {
    return `cannot mount a loop ext4 image: ${(error as Error).message}`;
  }
}
