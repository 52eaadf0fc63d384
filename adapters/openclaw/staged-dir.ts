import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/**
 * Builds `target` in a staging directory beside it and renames it into place, so a cache
 * entry exists only complete; when another process finished first, its copy is kept.
 */
export async function buildInPlace(target: string, build: (staging: string) => Promise<void>): Promise<void> {
  mkdirSync(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.staging-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(staging);
  try {
    await build(staging);
    try {
      renameSync(staging, target);
    } catch (error) {
      if (!existsSync(target)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
