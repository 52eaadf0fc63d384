import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectLayout } from "../../adapters/openclaw/layout.js";
import { ModuleGraph } from "../../adapters/openclaw/module-graph.js";

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
    const dir = packageWith({
      "dist/config/sessions/store.js": UNBUNDLED,
      "dist/util.js": `import chalk from "chalk";\nexport const helper = 1;\n`,
    });
    const found = detectLayout(dir);
    expect(found).toEqual({
      kind: "json",
      layout: {
        kind: "unbundled",
        writerFile: "dist/config/sessions/store.js",
        serialization: "lock-file",
        acpPreservation: false,
        maintenanceOption: false,
        bindings: {
          updateSessionStore: { file: "dist/config/sessions/store.js", name: "updateSessionStore" },
          loadSessionStore: { file: "dist/config/sessions/store.js", name: "loadSessionStore" },
          clearSessionStoreCacheForTest: {
            file: "dist/config/sessions/store.js",
            name: "clearSessionStoreCacheForTest",
          },
          runExclusive: { file: "dist/config/sessions/store.js", name: "withSessionStoreLock" },
          writeTextAtomic: null,
        },
      },
    });
    expect(new ModuleGraph().packageImports([join(dir, "dist/config/sessions/store.js")])).toEqual({
      files: 2,
      packages: ["chalk", "json5"],
      required: [],
    });
  });

  it("a bundled chunk with a queue, imported bindings included", () => {
    const dir = packageWith({ "dist/store-Ab1.js": BUNDLED, "dist/store-other-Q.js": "export const x = 1;\n" });
    const found = detectLayout(dir);
    expect(found.kind === "json" && found.layout).toMatchObject({
      kind: "bundled",
      writerFile: "dist/store-Ab1.js",
      serialization: "queue",
      acpPreservation: true,
    });
    expect(found.kind === "json" && found.layout.bindings.writeTextAtomic).toEqual({
      file: "dist/store-Ab1.js",
      name: "writeTextAtomic",
    });
  });

  it("follows an import under a mangled local name to the exporting chunk's binding", () => {
    const dir = packageWith({
      "dist/sessions-Q1.js": `import { t as load$1 } from "./load-Z.js";
import { a as excl } from "./queue-Y.js";
import { b as clr } from "./queue-Y.js";
async function updateSessionStore(p, m, o) { return o?.skipMaintenance; }
export { updateSessionStore as u };
`,
      "dist/load-Z.js": `function loadSessionStore(p) {}
export { loadSessionStore as t };
`,
      "dist/queue-Y.js": `async function runExclusiveSessionStoreWrite(p, fn) {}
function clearSessionStoreCacheForTest() {}
export { runExclusiveSessionStoreWrite as a, clearSessionStoreCacheForTest as b };
`,
    });
    const found = detectLayout(dir);
    expect(found.kind === "json" && found.layout).toMatchObject({
      kind: "bundled",
      writerFile: "dist/sessions-Q1.js",
      serialization: "queue",
      maintenanceOption: true,
      bindings: {
        loadSessionStore: { file: "dist/sessions-Q1.js", name: "load$1" },
        runExclusive: { file: "dist/sessions-Q1.js", name: "excl" },
        clearSessionStoreCacheForTest: { file: "dist/sessions-Q1.js", name: "clr" },
      },
    });
  });

  it("takes clearSessionStoreCacheForTest from a chunk the writer loads, else the writer's cache maps", () => {
    const loaded = packageWith({
      "dist/store-A.js": `import { t as LOCK_QUEUES } from "./lock-state-B.js";
function loadSessionStore(p) {}
async function withSessionStoreLock(p, fn) {}
async function updateSessionStore(p, m) {}
`,
      "dist/lock-state-B.js": `const LOCK_QUEUES = new Map();
function clearSessionStoreCacheForTest() {}
export { LOCK_QUEUES as t };
`,
    });
    const inLoaded = detectLayout(loaded);
    expect(inLoaded.kind === "json" && inLoaded.layout.bindings.clearSessionStoreCacheForTest).toEqual({
      file: "dist/lock-state-B.js",
      name: "clearSessionStoreCacheForTest",
    });
    const dropped = packageWith({
      "dist/helpers-C.js": `const SESSION_STORE_CACHE = /* @__PURE__ */ new Map();
const SESSION_STORE_SERIALIZED_CACHE = new Map();
function loadSessionStore(p) {}
async function withSessionStoreLock(p, fn) {}
async function updateSessionStore(p, m) {}
`,
    });
    const synthesized = detectLayout(dropped);
    expect(synthesized.kind === "json" && synthesized.layout).toMatchObject({
      serialization: "lock-file",
      maintenanceOption: false,
      bindings: {
        clearSessionStoreCacheForTest: {
          caches: [
            { file: "dist/helpers-C.js", name: "SESSION_STORE_CACHE" },
            { file: "dist/helpers-C.js", name: "SESSION_STORE_SERIALIZED_CACHE" },
          ],
        },
      },
    });
  });

  it("of several chunks with the same writer, takes the one that loads the fewest files", () => {
    const writer = (imports: string) => `${imports}const SESSION_STORE_CACHE = new Map();
function loadSessionStore(p) {}
async function withSessionStoreLock(p, fn) {}
async function updateSessionStore(p, m) {}
`;
    const dir = packageWith({
      "dist/big-A.js": writer(`import "./x-1.js";
`),
      "dist/x-1.js": "export const x = 1;\n",
      "dist/small-B.js": writer(""),
    });
    const found = detectLayout(dir);
    expect(found.kind === "json" && found.layout.writerFile).toBe("dist/small-B.js");
  });

  it("counts a module-level createRequire as a package the writer loads", () => {
    const dir = packageWith({
      "dist/store-A.js": `import { x } from "./deps-B.js";\n`,
      "dist/deps-B.js": `import { createRequire } from "node:module";\nconst semver = createRequire(import.meta.url)("semver");\nconst fs = createRequire(import.meta.url)("node:fs");\nexport const x = 1;\n`,
    });
    expect(new ModuleGraph().packageImports([join(dir, "dist/store-A.js")])).toEqual({
      files: 2,
      packages: [],
      required: ["semver"],
    });
  });

  it("says why when there is no JSON writer", () => {
    expect(detectLayout(packageWith({ "index.js": "" }))).toEqual({
      kind: "unknown",
      reason: "the package has no dist/ (a placeholder, not a build of openclaw)",
    });
    const bridge =
      "async function updateSessionStore(p, m) { return applySessionStoreProjection(p, m); }\nfunction loadSessionStore(p) {}\n";
    expect(detectLayout(packageWith({ "dist/runtime-Z9.js": bridge }))).toEqual({
      kind: "unknown",
      reason:
        "its session store is SQLite, but no chunk defines upsertAcpSessionMeta and readAcpSessionMeta (the ACP metadata functions beside dist/runtime-Z9.js)",
    });
    const acp = "async function upsertAcpSessionMeta(params) {}\nfunction readAcpSessionMeta(params) {}\n";
    expect(detectLayout(packageWith({ "dist/runtime-Z9.js": bridge, "dist/meta-Q1.js": acp }))).toMatchObject({
      kind: "sqlite",
      layout: {
        kind: "sqlite",
        writerFile: "dist/runtime-Z9.js",
        acpFile: "dist/meta-Q1.js",
        serialization: "sqlite",
        closers: [],
      },
    });
    expect(
      detectLayout(packageWith({ "dist/config/sessions/store.js": "export async function updateSessionStore() {}\n" }))
        .kind,
    ).toBe("unknown");
    expect(detectLayout(packageWith({ "dist/agent-Q.js": "async function updateSessionStore(p, m) {}\n" }))).toEqual({
      kind: "unknown",
      reason:
        "dist/agent-Q.js defines updateSessionStore but not the bindings the adapter needs (no loadSessionStore, runExclusiveSessionStoreWrite or withSessionStoreLock, clearSessionStoreCacheForTest (or the SESSION_STORE_*CACHE maps to clear))",
    });
  });
});
