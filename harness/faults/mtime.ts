import { execFileSync } from "node:child_process";
import { fstatSync, readdirSync, statSync, utimesSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Sets a whole-second mtime; a whole second is exact as a double, so it survives `utimes` exactly. */
export function setWholeSecondMtime(path: string, second: number): void {
  utimesSync(path, second, second);
}

export function mtimeNs(path: string): bigint {
  return statSync(path, { bigint: true }).mtimeNs;
}

/**
 * Restores an mtime to the nanosecond (`-c`: never create the file if a deletion got there
 * first). `utimes` takes seconds as a double, which cannot hold every nanosecond of today's
 * times, so this goes through `touch -d @<sec>.<nsec>`, which passes them as text.
 */
export function restoreMtimeExactly(path: string, ns: bigint): void {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  execFileSync("touch", ["-c", "-m", "-d", `@${seconds}.${fraction}`, path]);
}

/**
 * Coarse clock for a gateway's own write: gives the writer's temp file (named
 * `<basename>.<pid>.<random>.tmp` by contract) the virtual second before it is renamed in,
 * since `rename` keeps the file's own mtime.
 */
export function stampWriterTemps(storePath: string, pid: number, second: number): number {
  const prefix = `${basename(storePath)}.${pid}.`;
  const temps = readdirSync(dirname(storePath)).filter((name) => name.startsWith(prefix) && name.endsWith(".tmp"));
  for (const name of temps) setWholeSecondMtime(join(dirname(storePath), name), second);
  return temps.length;
}

/**
 * Real clock: makes every file write from now on get a later mtime than every write so far.
 * File times come from the kernel's coarse clock (one tick, a few ms), so two steps' writes a
 * millisecond apart often get the same `mtimeMs`; the same schedule then gives a tripwire in one
 * run and none in the next. The runner calls this between steps on an open probe file: it writes
 * one byte until the probe's mtime moves past the one the first write gave it. With multigrain
 * timestamps (Linux 6.13+) a write to an inode whose time was read is stamped from the fine clock
 * and lifts the floor for every later write, so this costs two small writes; an older
 * kernel waits out one tick. Gives up after `limitMs` (a file system with 1 s or 2 s steps
 * cannot be waited out per step).
 */
export function advanceFileClock(probeFd: number, limitMs = 50): void {
  const byte = Buffer.from("0");
  writeSync(probeFd, byte, 0, 1, 0);
  const first = fstatSync(probeFd, { bigint: true }).mtimeNs;
  const deadline = Date.now() + limitMs;
  do {
    writeSync(probeFd, byte, 0, 1, 0);
  } while (fstatSync(probeFd, { bigint: true }).mtimeNs <= first && Date.now() < deadline);
}
