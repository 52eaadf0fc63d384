import { execFileSync } from "node:child_process";
import { readdirSync, statSync, utimesSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** Sets a whole-second mtime; whole seconds survive `utimes` exactly (FACTS.md). */
export function setWholeSecondMtime(path: string, second: number): void {
  utimesSync(path, second, second);
}

export function mtimeNs(path: string): bigint {
  return statSync(path, { bigint: true }).mtimeNs;
}

/**
 * Restores an mtime to the nanosecond. `utimes` takes a double and is not exact (FACTS.md:
 * 24 of 200), so this goes through `touch -d @<sec>.<nsec>`, which is (200 of 200).
 */
export function restoreMtimeExactly(path: string, ns: bigint): void {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  execFileSync("touch", ["-m", "-d", `@${seconds}.${fraction}`, path]);
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
