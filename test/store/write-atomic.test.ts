import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTextAtomic, writeTextCommitted } from "../../src/persistence/write-atomic.js";
import { tempFilesIn, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();

/** Runs one write and returns the directory listing seen just before its rename. */
async function listingBeforeRename(target: string, opts: Parameters<typeof writeTextAtomic>[2] = {}) {
  let listing: string[] = [];
  await writeTextCommitted(target, "x", opts, {
    beforeRename: () => {
      listing = readdirSync(tmpDir()).sort();
    },
    commit: ({ rename }) => rename(),
  });
  return listing;
}

describe("writeTextAtomic", () => {
  it("writes the text in full to a new file", async () => {
    const target = join(tmpDir(), "sessions.json");
    const text = `${"é∂ab".repeat(50_000)}\nend`;
    await writeTextAtomic(target, text);
    expect(readFileSync(target, "utf8")).toBe(text);
    expect(readdirSync(tmpDir())).toEqual(["sessions.json"]);
  });

  it("replaces an existing file", async () => {
    const target = join(tmpDir(), "sessions.json");
    writeFileSync(target, "old content that is longer");
    await writeTextAtomic(target, "new");
    expect(readFileSync(target, "utf8")).toBe("new");
  });

  it("names its temp <basename>.<pid>.<hex>.tmp in the target's directory", async () => {
    const target = join(tmpDir(), "sessions.json");
    const first = await listingBeforeRename(target);
    const second = await listingBeforeRename(target);

    const pattern = /^sessions\.json\.(\d+)\.([0-9a-f]{12})\.tmp$/;
    const [a] = first;
    expect(first).toHaveLength(1);
    expect(a).toMatch(pattern);
    expect(Number(pattern.exec(a!)![1])).toBe(process.pid);
    // Second listing: the store from the first write plus the new temp, which has a new random part.
    expect(second).toHaveLength(2);
    expect(second).toContain("sessions.json");
    const b = second.find((name) => name !== "sessions.json")!;
    expect(b).toMatch(pattern);
    expect(b).not.toBe(a);
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });

  it("uses tempPrefix in place of the basename", async () => {
    const target = join(tmpDir(), "sessions.json");
    const listing = await listingBeforeRename(target, { tempPrefix: ".pending" });
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatch(new RegExp(`^\\.pending\\.${process.pid}\\.[0-9a-f]+\\.tmp$`));
  });

  it("creates the file with mode 0o600 by default, honours the mode option, and does not keep the old mode", async () => {
    // A known umask, so the expected modes are exact whatever the runner's umask is.
    const previous = process.umask(0o022);
    try {
      const plain = join(tmpDir(), "plain.json");
      const shared = join(tmpDir(), "shared.json");
      await writeTextAtomic(plain, "{}");
      await writeTextAtomic(shared, "{}", { mode: 0o644 });
      expect(statSync(plain).mode & 0o777).toBe(0o600);
      expect(statSync(shared).mode & 0o777).toBe(0o644);
      // The rename carries the temp's mode: an existing file's mode is not kept.
      await writeTextAtomic(shared, "{}");
      expect(statSync(shared).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it("writes durably (fsync of file and directory) with the same result", async () => {
    const target = join(tmpDir(), "sessions.json");
    await writeTextAtomic(target, '{"a":1}\n', { durable: true });
    expect(readFileSync(target, "utf8")).toBe('{"a":1}\n');
    expect(tempFilesIn(tmpDir())).toEqual([]);
  });

  it("removes its temp and leaves the target untouched when beforeRename throws", async () => {
    const target = join(tmpDir(), "sessions.json");
    writeFileSync(target, "original");
    const before = statSync(target);
    const boom = new Error("hook failed");
    let sawTemp = false;

    await expect(
      writeTextCommitted(
        target,
        "replacement",
        {},
        {
          beforeRename: () => {
            sawTemp = tempFilesIn(tmpDir()).length === 1;
            throw boom;
          },
          commit: ({ rename }) => rename(),
        },
      ),
    ).rejects.toBe(boom);

    expect(sawTemp).toBe(true);
    expect(readFileSync(target, "utf8")).toBe("original");
    expect(statSync(target).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(target).ino).toBe(before.ino);
    expect(readdirSync(tmpDir())).toEqual(["sessions.json"]);
  });

  it("removes its temp when an async beforeRename rejects", async () => {
    const target = join(tmpDir(), "sessions.json");
    await expect(
      writeTextCommitted(
        target,
        "x",
        {},
        { beforeRename: () => Promise.reject(new Error("later")), commit: ({ rename }) => rename() },
      ),
    ).rejects.toThrow("later");
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(tmpDir())).toEqual([]);
  });

  it("returns what the commit says, and removes the temp a commit chose not to rename", async () => {
    const target = join(tmpDir(), "sessions.json");
    writeFileSync(target, "original");
    const declined = await writeTextCommitted(
      target,
      "x",
      {},
      { commit: async ({ temp }) => ({ kept: existsSync(temp.path) }) },
    );
    expect(declined).toEqual({ kept: true });
    expect(readFileSync(target, "utf8")).toBe("original");
    expect(readdirSync(tmpDir())).toEqual(["sessions.json"]);
    const landed = await writeTextCommitted(
      target,
      "y",
      {},
      { commit: async ({ rename }) => (await rename(), "landed") },
    );
    expect(landed).toBe("landed");
    expect(readFileSync(target, "utf8")).toBe("y");
  });

  it("removes its temp when the rename fails (target is a directory)", async () => {
    const target = join(tmpDir(), "sessions.json");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "kept");

    await expect(writeTextAtomic(target, "x")).rejects.toMatchObject({ code: "EISDIR" });

    expect(statSync(target).isDirectory()).toBe(true);
    expect(readdirSync(target)).toEqual(["inside"]);
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("kept");
    expect(readdirSync(tmpDir())).toEqual(["sessions.json"]);
  });
});
