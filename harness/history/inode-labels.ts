import type { FileStatRecord } from "./types.js";

/**
 * Inode labels that follow the file along a history: `i0` for the first inode seen, the same
 * label while the inode is unchanged, a new one each time it changes or the file comes back
 * after being missing. A label never depends on the number the file system hands out (which it
 * may reuse), so two runs of one schedule label alike. Observe the snapshots in history order.
 */
export class InodeLabels {
  private last: { ino: number; label: string } | null = null;
  private count = 0;
  /** The label of `stat`'s inode; null for a missing file. */
  observe(stat: FileStatRecord): string | null {
    if (stat.kind === "missing") {
      this.last = null;
      return null;
    }
    if (this.last?.ino !== stat.ino) this.last = { ino: stat.ino, label: `i${this.count++}` };
    return this.last.label;
  }
}
