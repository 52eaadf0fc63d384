/**
 * The system side of the mount helpers: running mount tools, reading the mount table and the
 * loop devices, and a LIFO cleanup list that runs every step whatever fails.
 */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { delimiter, join } from "node:path";
import { execa } from "execa";

/** A mount tool failed; the message holds the command line and its stderr, on one line. */
export class MountError extends Error {
  override readonly name = "MountError";
}

/** Directories searched for system tools besides PATH (root's sbin dirs are not always on it). */
const EXTRA_TOOL_DIRS = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

/** The absolute path of a tool, or `null` if it is installed nowhere we look. */
export function findTool(name: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), ...EXTRA_TOOL_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** The reason mounting is impossible for this process before any tool is tried, or `null`. */
export function notRootReason(): string | null {
  const uid = process.getuid?.();
  if (uid === undefined) return "no uid on this platform: mounting needs Linux and root";
  return uid === 0 ? null : `not root (uid ${uid}): mounting needs root`;
}

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Runs a system tool; throws a MountError naming the command and its stderr if it fails. */
export async function run(tool: string, args: readonly string[], timeoutMs = 30_000): Promise<string> {
  const path = findTool(tool);
  if (!path) throw new MountError(`${tool} is not installed`);
  const result = await execa(path, args, { reject: false, timeout: timeoutMs, stdin: "ignore" });
  if (result.failed) {
    const why = oneLine(
      String(result.stderr || result.stdout || result.shortMessage || `exit code ${result.exitCode}`),
    );
    throw new MountError(`${tool} ${args.join(" ")} failed: ${why}`);
  }
  return result.stdout;
}

/** Every mount point of this mount namespace, from /proc/self/mountinfo (octal escapes undone). */
export function mountPoints(): string[] {
  const table = readFileSync("/proc/self/mountinfo", "utf8");
  return table
    .split("\n")
    .filter(Boolean)
    .map((line) =>
      line.split(" ")[4]!.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    );
}

export const isMountPoint = (path: string): boolean => mountPoints().includes(path);

/** The `losetup -a` lines: every attached loop device, whoever attached it. */
export async function attachedLoopDevices(): Promise<string[]> {
  if (!findTool("losetup")) return [];
  return (await run("losetup", ["-a"])).split("\n").filter(Boolean);
}

/** The loop devices backed by `image` (`losetup -j`), e.g. `["/dev/loop3"]`. */
export async function loopDevicesBackedBy(image: string): Promise<string[]> {
  if (!findTool("losetup")) return [];
  return (await run("losetup", ["-j", image]))
    .split("\n")
    .filter(Boolean)
    .map((line) => line.slice(0, line.indexOf(":")));
}

/** Unmounts `path`; if a plain umount fails (busy), detaches it lazily. Verifies it is gone. */
export async function unmount(path: string): Promise<void> {
  if (!isMountPoint(path)) return;
  try {
    await run("umount", [path]);
  } catch (error) {
    await run("umount", ["-l", path]).catch((lazy: unknown) => {
      throw new MountError(`${(error as Error).message}; then ${(lazy as Error).message}`);
    });
  }
  if (isMountPoint(path)) throw new MountError(`${path} is still mounted after umount`);
}

/** Detaches a loop device and waits (up to 5 s) until no device is backed by `image` any more. */
export async function detachLoop(device: string, image: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    const backing = await loopDevicesBackedBy(image);
    if (backing.length === 0) return;
    try {
      // A device still held after a lazy unmount is marked autoclear; it goes once released.
      if (backing.includes(device)) await run("losetup", ["-d", device]);
    } catch (error) {
      lastError = error;
    }
    await delay(100);
  }
  const left = await loopDevicesBackedBy(image);
  throw new MountError(
    `loop device(s) ${left.join(", ")} still attached to ${image}${lastError ? `: ${(lastError as Error).message}` : ""}`,
  );
}

/**
 * Cleanup steps run in reverse order of registration. Every step runs even if an earlier one
 * failed; the failures are reported together once all have run.
 */
export class Cleanup {
  private readonly steps: { label: string; fn: () => Promise<void> | void }[] = [];

  defer(label: string, fn: () => Promise<void> | void): void {
    this.steps.push({ label, fn });
  }

  async run(): Promise<void> {
    const failures: string[] = [];
    while (this.steps.length > 0) {
      const { label, fn } = this.steps.pop()!;
      try {
        await fn();
      } catch (error) {
        failures.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0) throw new MountError(`cleanup failed: ${failures.join("; ")}`);
  }
}

export const loopControlReason = (): string | null =>
  existsSync("/dev/loop-control") || existsSync("/dev/loop0")
    ? null
    : "no /dev/loop-control: loop devices are not available";
