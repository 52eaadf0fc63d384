/**
 * Runs in a gateway child: opens a SQLite-era openclaw release (2026.8.1 on) under the store
 * contract. openclaw's code runs unmodified: `export { … }` lines are appended to the chunks
 * that hold the bindings, and each call points `OPENCLAW_STATE_DIR` at the run's own state dir
 * (beside the store), so the shared `openclaw.sqlite` with its `acp_sessions` table is per run.
 * See entry-projection.ts for how the Store shape maps onto the rows.
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ReleaseDescriptor } from "../descriptor.js";
import type { SqliteLayout } from "../sqlite/layout.js";
import {
  fromAcpMeta,
  fromReleaseKey,
  toAcpMeta,
  toHarnessEntry,
  toReleaseEntry,
  toReleaseKey,
  releaseSessionId,
  type Entry,
} from "../sqlite/entry-projection.js";
import { SQLITE_STATE_DIR } from "../sqlite/files.js";
import { installReleaseHooks } from "./release-hooks.js";
import { SQLITE_STORE_FILES, type ReleaseStore } from "./release-store.js";

type Bindings = {
  updateSessionStore(
    storePath: string,
    mutator: (store: Record<string, Entry>) => unknown,
    opts?: object,
  ): Promise<unknown>;
  loadSessionStore(storePath: string, opts?: object): Record<string, Entry>;
  upsertAcpSessionMeta(params: object): Promise<unknown>;
  readAcpSessionMeta(params: object): Record<string, unknown> | undefined;
  closers: (() => void)[];
};

async function importBindings(descriptor: ReleaseDescriptor, layout: SqliteLayout): Promise<Bindings> {
  const named = [
    ...Object.entries(layout.bindings),
    ...layout.closers.map((closer, index) => [`closer${index}`, closer] as const),
  ];
  const appended = new Map<string, string[]>();
  for (const [key, binding] of named)
    appended.set(binding.file, [
      ...(appended.get(binding.file) ?? []),
      `export { ${binding.name} as __drift_${key} };`,
    ]);
  const urlOf = installReleaseHooks(descriptor, appended);
  const loaded: Record<string, any> = {};
  for (const url of [layout.writerFile, ...appended.keys()].map(urlOf)) Object.assign(loaded, await import(url));
  return {
    updateSessionStore: loaded.__drift_updateSessionStore,
    loadSessionStore: loaded.__drift_loadSessionStore,
    upsertAcpSessionMeta: loaded.__drift_upsertAcpSessionMeta,
    readAcpSessionMeta: loaded.__drift_readAcpSessionMeta,
    closers: layout.closers.map((_, index) => loaded[`__drift_closer${index}`]),
  };
}

const newSessionSuffix = (): string => randomUUID().slice(0, 8);

/**
 * What an op did to a binding, handed to the release's `upsertAcpSessionMeta` as its callers
 * do: a new binding whole, a drop, or a part (the fields that changed) applied by
 * `mutate(current)` to the row the release reads, so the release decides what `current` is.
 */
type AcpChange =
  | { kind: "bind"; acp: Record<string, unknown> }
  | { kind: "drop" }
  | { kind: "part"; set: Record<string, unknown>; removed: string[] };

function acpChange(before: unknown, after: Record<string, unknown>): AcpChange {
  if (before === undefined || before === null || typeof before !== "object") return { kind: "bind", acp: after };
  const was = before as Record<string, unknown>;
  return {
    kind: "part",
    set: Object.fromEntries(Object.entries(after).filter(([field, value]) => !same(was[field], value))),
    removed: Object.keys(was).filter((field) => !(field in after)),
  };
}

function applyAcpChange(change: AcpChange, current: Record<string, unknown> | undefined, key: string, stamp: number) {
  if (change.kind === "drop") return null;
  if (change.kind === "bind") return toAcpMeta(change.acp, key, stamp);
  if (current === undefined) return undefined; // no binding, no change: as the op does
  const kept = Object.fromEntries(
    Object.entries(fromAcpMeta(current)).filter(([field]) => !change.removed.includes(field)),
  );
  return toAcpMeta({ ...kept, ...change.set }, key, stamp);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The SQLite release under the contract. Capabilities: serialization `sqlite`, no tripwire, no writer cache to go stale. */
export async function openSqliteRelease(descriptor: ReleaseDescriptor, layout: SqliteLayout): Promise<ReleaseStore> {
  const tmp = join(descriptor.stateDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  Object.assign(process.env, {
    OPENCLAW_STATE_DIR: descriptor.stateDir,
    OPENCLAW_HOME: descriptor.stateDir,
    OPENCLAW_CONFIG_PATH: join(descriptor.stateDir, "openclaw.json"),
    TMPDIR: tmp,
  });
  const release = await importBindings(descriptor, layout);
  /** Every call: the run's state dir (read at call time), and a config naming the run's store for the ACP functions. */
  /** The directory of the last run this process wrote in (the store's), for the reset after it. */
  let lastRunDir: string | undefined;
  const enter = (storePath: string) => {
    lastRunDir = dirname(storePath);
    const stateDir = join(lastRunDir, SQLITE_STATE_DIR);
    mkdirSync(stateDir, { recursive: true });
    process.env.OPENCLAW_STATE_DIR = stateDir;
    return { cfg: { session: { store: storePath } } };
  };
  const acpOf = (cfg: object, key: string) => {
    const meta = release.readAcpSessionMeta({ sessionKey: toReleaseKey(key), cfg });
    return meta ? fromAcpMeta(meta) : undefined;
  };
  const view = (cfg: object, store: Record<string, Entry>): Record<string, Entry> =>
    Object.fromEntries(
      Object.entries(store).map(([releaseKey, entry]) => {
        const key = fromReleaseKey(releaseKey);
        const acp = acpOf(cfg, key);
        return [key, { ...toHarnessEntry(entry), ...(acp ? { acp } : {}) }];
      }),
    );
  return {
    async updateSessionStore(storePath, mutator, opts) {
      const { cfg } = enter(storePath);
      const allowDrop = new Set(opts?.allowDropAcpMetaSessionKeys ?? []);
      const acpWrites: { key: string; change: AcpChange; stamp: number }[] = [];
      const result = await release.updateSessionStore(
        storePath,
        async (store) => {
          const before = view(cfg, store);
          const after = structuredClone(before);
          const value = await mutator(after);
          acpWrites.length = 0;
          for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
            const { acp: acpBefore, ...was } = before[key] ?? {};
            const { acp: acpAfter, ...now } = after[key] ?? {};
            if (!after[key]) delete store[toReleaseKey(key)];
            else if (!before[key] || !same(was, now)) {
              const current = store[toReleaseKey(key)]?.sessionId;
              store[toReleaseKey(key)] = toReleaseEntry(
                now,
                releaseSessionId(now.sessionId, current, newSessionSuffix),
              );
            }
            const stamp = typeof now.updatedAt === "number" ? now.updatedAt : 0;
            // ACP lives in acp_sessions: a whole-store mutator cannot strip it, only the ACP functions change it.
            if (after[key] && acpAfter !== undefined && !same(acpBefore, acpAfter))
              acpWrites.push({ key, change: acpChange(acpBefore, acpAfter as Record<string, unknown>), stamp });
            if (after[key] && acpBefore !== undefined && acpAfter === undefined && allowDrop.has(key))
              acpWrites.push({ key, change: { kind: "drop" }, stamp });
          }
          return value;
        },
        { skipMaintenance: true },
      );
      for (const { key, change, stamp } of acpWrites) {
        // skipMaintenance, as for every write: its pruning would remove the harness's entries.
        await release.upsertAcpSessionMeta({
          sessionKey: toReleaseKey(key),
          cfg,
          skipMaintenance: true,
          now: () => stamp,
          mutate: (current: Record<string, unknown> | undefined) => applyAcpChange(change, current, key, stamp),
        });
      }
      return result as any;
    },
    loadSessionStore(storePath) {
      const { cfg } = enter(storePath);
      return view(cfg, release.loadSessionStore(storePath));
    },
    writeTextAtomic: async () => {
      throw new Error(`openclaw@${descriptor.version} keeps its sessions in SQLite: it has no writeTextAtomic`);
    },
    runExclusiveSessionStoreWrite: async (storePath, task) =>
      release.updateSessionStore(storePath, async () => task(), {
        skipMaintenance: true,
        skipSaveWhenResult: () => true,
      }) as Promise<any>,
    _setSessionStoreCacheInvalidatedEmitterForTest: () => undefined,
    // Called as the next run starts, when the last run's directory is gone: closing the agent
    // databases opens the state database the environment names, which would create that
    // directory again. The closers run against a scratch state dir, removed after.
    // A database remembers the state dir it was opened under: 2026.9.6 records an agent
    // database's integrity check in <that dir>/state/openclaw-quarantine.sqlite as it closes,
    // which made the last run's directory again. A run directory that was gone before the
    // closers ran and is there after is theirs, and is removed.
    clearSessionStoreCacheForTest: () => {
      const scratch = join(tmp, `closing-${process.pid}`);
      const last = lastRunDir;
      const lastWasGone = last !== undefined && !existsSync(last);
      process.env.OPENCLAW_STATE_DIR = scratch;
      try {
        for (const close of release.closers) close();
      } finally {
        rmSync(scratch, { recursive: true, force: true });
        if (last && lastWasGone) rmSync(last, { recursive: true, force: true });
      }
    },
    knownLimitations: [],
    absentFeatures: [
      {
        feature: "tripwire",
        reason:
          "the SQLite store has no stat-keyed cache to invalidate: its row cache is revalidated with PRAGMA data_version, and nothing is emitted",
      },
      {
        feature: "checkpoint-hook",
        reason:
          "the release has no writer checkpoint hook: its writers are held in the harness's mutator (after-load) and before COMMIT, by a DatabaseSync wrapper (before-rename)",
      },
      {
        feature: "writeTextAtomic",
        reason: "the release writes rows in SQLite transactions, not a temp file and a rename",
      },
    ],
    // The projection's commit check throws this (applySessionStoreProjection) when a changed key moved since its read.
    storeCapabilities: {
      tripwire: false,
      serialization: "sqlite",
      writerCache: false,
      storeFiles: SQLITE_STORE_FILES,
      conflictError: "SQLite session entry changed before",
    },
  };
}
