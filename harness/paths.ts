import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root, whether this file runs compiled (dist/harness) or as source (harness/). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot();
export const distDir = join(projectRoot, "dist");

/** Child entry points are always the compiled ones: children run plain Node, no loader. */
export function actorScript(role: "gateway" | "external"): string {
  const script = join(distDir, "harness", "actors", `${role}.js`);
  if (!existsSync(script)) throw new Error(`actor script ${script} is missing: run \`npm run build\` first`);
  return script;
}

/** The project's own store module (the default instance). */
export const defaultStoreModule = join(distDir, "src", "store.js");
