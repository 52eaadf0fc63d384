import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectLayout } from "../../adapters/openclaw/layout.js";
import { staticPackageImports } from "../../adapters/openclaw/static-imports.js";

/** Hand-written stand-ins for the two layouts (nothing of openclaw's code): only the shapes matter. */
let dirs: string[] = [];
function packageWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "drift-layout-"));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

const UNBUNDLED = `import JSON5 from "json5";
import fs from "node:fs";
import { helper } from "../../util.js";
export function clearSessionStoreCacheForTest() {}
export function loadSessionStore(p) {}
export async function updateSessionStore(p, m) { return withSessionStoreLock(p, m); }
async function withSessionStoreLock(p, fn) {}
`;

const BUNDLED = `import { s as writeTextAtomic } from "./json-files-X1.js";
import { t as loadSessionStore } from "./store-load-Y2.js";
function clearSessionStoreCacheForTest() {}
async function runExclusiveSessionStoreWrite(p, fn) {}
function preserveExistingAcpMetadata(params) {}
async function updateSessionStore(p, m, o) {}
export { updateSessionStore as o, clearSessionStoreCacheForTest as c };
`;

describe("the layouts the adapter knows", () => {
  it("an unbundled writer with a lock file and no ACP snapshot", () => {
    const dir = packageWith({ "dist/config/sessions/store.js": UNBUNDLED, "dist/util.js": `import chalk from "chalk";\nexport const helper = 1;\n` });
    const found = detectLayout(dir);
    expect(found).toEqual({
      kind: "json",
      layout: {
        kind: "unbundled",
        writerFile: "dist/config/sessions/store.js",
        serialization: "lock-file",
        acpPreservation: false,
        bindings: { updateSessionStore: "updateSessionStore", loadSessionStore: "loadSessionStore", clearSessionStoreCacheForTest: "clearSessionStoreCacheForTest", runExclusive: "withSessionStoreLock", writeTextAtomic: null },
      },
    });
    expect(staticPackageImports([join(dir, "dist/config/sessions/store.js")])).toEqual({ files: 2, packages: ["chalk", "json5"] });
  });

  it("a bundled chunk with a queue, imported bindings included", () => {
    const dir = packageWith({ "dist/store-Ab1.js": BUNDLED, "dist/store-other-Q.js": "export const x = 1;\n" });
    const found = detectLayout(dir);
    expect(found.kind === "json" && found.layout).toMatchObject({ kind: "bundled", writerFile: "dist/store-Ab1.js", serialization: "queue", acpPreservation: true });
    expect(found.kind === "json" && found.layout.bindings.writeTextAtomic).toBe("writeTextAtomic");
  });

  it("says why when there is no JSON writer", () => {
    expect(detectLayout(packageWith({ "index.js": "" }))).toEqual({ kind: "unknown", reason: "the package has no dist/ (a placeholder, not a build of openclaw)" });
    expect(detectLayout(packageWith({ "dist/session-store-runtime-Z9.js": "async function updateSessionStore(p, m) {}\n" }))).toEqual({
      kind: "sqlite",
      reason: "its session store is SQLite: updateSessionStore lives in dist/session-store-runtime-Z9.js and writes a database, not a JSON file",
    });
    expect(detectLayout(packageWith({ "dist/config/sessions/store.js": "export async function updateSessionStore() {}\n" })).kind).toBe("unknown");
  });
});
