import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mtimeNs, restoreMtimeExactly } from "../../harness/faults/mtime.js";
import {
  ext4LoopUnavailableReason,
  tmpfsUnavailableReason,
  withExt4LoopMount,
  withTmpfsMount,
  type Mounted,
} from "./mounts/mount.js";
import * as store from "../../src/index.js";
import { createSessionStore, type SessionStore } from "../../src/index.js";
import { inPlacePersistence } from "../../variants/broken-parts.js";
import type { Store } from "../../src/types.js";
import { useTempDir } from "../store/helpers.js";
import { announceSkip, expectNothingLeft, expectTornDown, ownLoopDevices } from "./helpers.js";

/**
 * A full disk: the writer's temp file cannot be written. The store must reject with the
 * ENOSPC error, leave the store file byte for byte as it was and no temp behind, and drop its
 * cache entry (the next writer reads the disk). Runs in this process (root) against the
 * project's store, on a 1 MiB tmpfs and on an 8 MiB loop ext4 image.
 */
const tmpfsReason = await tmpfsUnavailableReason();
const ext4Reason = await ext4LoopUnavailableReason();
announceSkip("enospc (tmpfs)", tmpfsReason);
announceSkip("enospc (loop ext4)", ext4Reason);

type Mounter = <T>(use: (mounted: Mounted) => Promise<T>) => Promise<T>;
const fileSystems: { name: string; reason: string | null; mount: Mounter }[] = [
  { name: "a 1 MiB tmpfs", reason: tmpfsReason, mount: (use) => withTmpfsMount({ sizeBytes: 1024 * 1024 }, use) },
  { name: "an 8 MiB loop ext4", reason: ext4Reason, mount: (use) => withExt4LoopMount({ sizeMb: 8 }, use) },
];

/** `count` sessions of ≈ 150 bytes each: a store of tens of KB. */
function bigStore(count: number, note: string): Store {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `s${i}`,
      { sessionId: `sid-${i}`, updatedAt: 1, note, padding: "p".repeat(80) },
    ]),
  );
}

/** Writes to `path` until the file system is full to the byte; returns the bytes written. */
function fillUp(path: string): number {
  const fd = openSync(path, "w");
  let total = 0;
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x78);
      for (;;) {
        try {
          const written = writeSync(fd, chunk);
          total += written;
          if (written < size) break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOSPC") break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return total;
}

/** The errno code of an error, or of the first error in its `cause` chain that has one. */
function errno(error: unknown): { code?: string; syscall?: string } {
  for (let e = error as (NodeJS.ErrnoException & { cause?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (e.code) return { code: e.code, syscall: e.syscall };
  }
  return {};
}

/**
 * What an outside process that keeps size and mtime does (FAT, SMB, one kernel tick): new
 * text of the same byte count, atomically, with the old mtime restored to the nanosecond.
 * Only a writer that reads the disk sees it; one that trusts a cache entry does not.
 */
function sameStatEdit(storePath: string, edit: (text: string) => string): string {
  const text = readFileSync(storePath, "utf8");
  const edited = edit(text);
  expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
  expect(edited).not.toBe(text);
  const previous = mtimeNs(storePath);
  const temp = `${storePath}.outside.tmp`;
  writeFileSync(temp, edited);
  renameSync(temp, storePath);
  restoreMtimeExactly(storePath, previous);
  return edited;
}

const statOf = (path: string) => {
  const s = statSync(path);
  return { mtimeMs: s.mtimeMs, size: s.size, ino: s.ino };
};

const firstNoteToN2 = (text: string) => text.replace('"note": "n1"', '"note": "n2"');
const later = { sessionId: "sid-later", updatedAt: 3 };

type StoreApi = Pick<
  SessionStore,
  "updateSessionStore" | "_setSessionStoreCacheInvalidatedEmitterForTest" | "clearSessionStoreCacheForTest"
>;

/** What one full-disk write did, in terms a test can compare exactly. */
type Observed = {
  failure: { code?: string; syscall?: string; message: string } | "resolved";
  storeBytesUnchanged: boolean;
  storeStatUnchanged: boolean;
  newEntries: string[];
  tripwires: unknown[];
  /** The next writer, with room again, after a change the stat cannot show (only if the store survived). */
  next: { tripwires: unknown[]; keptTheChange: boolean; landed: boolean; newEntries: string[] } | "store damaged";
};

/**
 * On `mnt`: a big store written, the disk filled to the byte, a bigger store written (its
 * temp cannot be), then room made, a same-stat edit, and one more writer.
 */
async function fullDisk(api: StoreApi, mnt: Mounted): Promise<Observed> {
  const tripwires: unknown[] = [];
  api.clearSessionStoreCacheForTest();
  api._setSessionStoreCacheInvalidatedEmitterForTest((payload) => tripwires.push(payload));
  try {
    const storePath = join(mnt.path, "sessions.json");
    await api.updateSessionStore(storePath, (s) => {
      Object.assign(s, bigStore(200, "n1"));
    });
    const bytes = readFileSync(storePath);
    const stat = statOf(storePath);
    expect(bytes.length).toBeGreaterThan(30_000);
    const listing = readdirSync(mnt.path).sort();
    const added = () =>
      readdirSync(mnt.path)
        .filter((name) => !listing.includes(name))
        .sort();

    const filler = join(mnt.path, "filler");
    expect(fillUp(filler)).toBeGreaterThan(0);
    const failure = await api
      .updateSessionStore(storePath, (s) => {
        Object.assign(s, bigStore(400, "n9"));
      })
      .then(
        () => "resolved" as const,
        (error: unknown) => ({ ...errno(error), message: error instanceof Error ? error.message : String(error) }),
      );
    const observed = {
      failure,
      storeBytesUnchanged: readFileSync(storePath).equals(bytes),
      storeStatUnchanged: JSON.stringify(statOf(storePath)) === JSON.stringify(stat),
      newEntries: added(),
      tripwires: [...tripwires],
    };

    if (!observed.storeBytesUnchanged) return { ...observed, next: "store damaged" };
    // Room again, and a change the stat cannot show: only a writer that reads the disk keeps it.
    unlinkSync(filler);
    tripwires.length = 0;
    const edited = JSON.parse(sameStatEdit(storePath, firstNoteToN2)) as Store;
    await api.updateSessionStore(storePath, (s) => {
      s.later = { ...later };
    });
    const after = JSON.parse(readFileSync(storePath, "utf8")) as Store;
    return {
      ...observed,
      next: {
        tripwires: [...tripwires],
        keptTheChange: after.s0?.note === "n2" && isDeepStrictEqual(after, { ...edited, later }),
        landed: isDeepStrictEqual(after.later, later),
        newEntries: added(),
      },
    };
  } finally {
    api._setSessionStoreCacheInvalidatedEmitterForTest(null);
    api.clearSessionStoreCacheForTest();
  }
}

describe("ENOSPC: the temp write of a big store fails on a full file system", () => {
  beforeAll(expectNothingLeft);
  afterAll(expectNothingLeft);

  for (const fs of fileSystems) {
    it.skipIf(fs.reason)(
      `on ${fs.name}: rejects with ENOSPC, store bytes unchanged, no temp, next writer is a miss and lands`,
      async () => {
        const mounted = await fs.mount(async (mnt) => {
          if (mnt.loopDevice) expect(await ownLoopDevices()).toEqual([expect.stringContaining(mnt.image!)]);
          const observed = await fullDisk(store, mnt);
          expect(observed).toEqual({
            // The temp was created (open worked) and its write hit the full disk.
            failure: {
              code: "ENOSPC",
              syscall: "write",
              message: expect.stringMatching(/ENOSPC: no space left on device/),
            },
            storeBytesUnchanged: true,
            storeStatUnchanged: true,
            newEntries: ["filler"],
            tripwires: [],
            // No cache entry survived the failure: a miss, silent, reading the edit from disk.
            next: { tripwires: [], keptTheChange: true, landed: true, newEntries: [] },
          });
          return mnt;
        });
        await expectTornDown(mounted);
      },
    );
  }

  it.skipIf(tmpfsReason)(
    "can fail: a store that rewrites the file in place loses the store on a full disk (variant in-place-write)",
    async () => {
      const inPlace = createSessionStore({ persistence: inPlacePersistence });
      const mounted = await withTmpfsMount({ sizeBytes: 1024 * 1024 }, async (mnt) => {
        const observed = await fullDisk(inPlace, mnt);
        expect(observed.failure).toMatchObject({ code: "ENOSPC" });
        expect(observed.storeBytesUnchanged).toBe(false);
        expect(observed.next).toBe("store damaged");
        return mnt;
      });
      await expectTornDown(mounted);
    },
  );
});

describe("control: after a successful write the same edit is invisible (a cache hit)", () => {
  const tmpDir = useTempDir();
  const payloads: unknown[] = [];
  beforeEach(() => {
    payloads.length = 0;
    store.clearSessionStoreCacheForTest();
    store._setSessionStoreCacheInvalidatedEmitterForTest((payload) => payloads.push(payload));
  });
  afterEach(() => {
    store._setSessionStoreCacheInvalidatedEmitterForTest(null);
    store.clearSessionStoreCacheForTest();
  });

  it("so the check above tells a miss from a hit (the store's known coarse-mtime limitation)", async () => {
    const storePath = join(tmpDir(), "sessions.json");
    await store.updateSessionStore(storePath, (s) => {
      Object.assign(s, bigStore(200, "n1"));
    });
    const cached = JSON.parse(readFileSync(storePath, "utf8")) as Store;
    sameStatEdit(storePath, firstNoteToN2);
    await store.updateSessionStore(storePath, (s) => {
      s.later = { ...later };
    });
    expect(payloads).toEqual([]);
    expect(JSON.parse(readFileSync(storePath, "utf8"))).toEqual({ ...cached, later });
  });
});
