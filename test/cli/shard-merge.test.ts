import { execaNode } from "execa";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dir } from "tmp-promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distDir } from "../../harness/paths.js";

const cli = join(distDir, "cli", "main.js");
const run = (args: string[]) =>
  execaNode(cli, args, { reject: false, all: true, env: { SESSION_STORE_LOG_LEVEL: "silent" } });

/** A CI matrix: each shard explores its own seeds; merge turns their summaries into one verdict. */
describe("explore --shard and merge", () => {
  let out: { path: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    out = await dir({ unsafeCleanup: true, prefix: "drift-shard-test-" });
  });
  afterAll(async () => out.cleanup());

  it("two shards explore disjoint seeds and merge into one passing verdict", { timeout: 180_000 }, async () => {
    const files = [1, 2].map((i) => join(out.path, `shard-${i}.json`));
    for (const [i, file] of files.entries()) {
      const result = await run([
        "explore",
        "--shard",
        `${i + 1}/2`,
        "--seed",
        "3",
        "--runs",
        "5",
        "--only",
        "in-process-merges,coarse-mtime",
        "--json",
        file,
        "--out",
        out.path,
      ]);
      expect(result.exitCode, result.all).toBe(0);
    }
    const [one, two] = files.map((file) => JSON.parse(readFileSync(file, "utf8")));
    expect(one.shard).toEqual({ index: 1, count: 2 });
    expect(one.baseSeed).toBe(3);
    expect(two.baseSeed).toBe(3);
    expect(one.seed).not.toBe(two.seed);

    const merged = await run(["merge", ...files]);
    expect(merged.exitCode, merged.all).toBe(0);
    expect(merged.all).toMatch(/in-process-merges\s+holds\s+10\s+ok: held/);
    expect(merged.all).toContain("coarse-mtime");

    const other = join(out.path, "shard-other-base.json");
    writeFileSync(other, JSON.stringify({ ...two, baseSeed: 4 }));
    const mixed = await run(["merge", files[0]!, other]);
    expect(mixed.exitCode, mixed.all).toBe(2);
    expect(mixed.all).toContain("different explorations");
    expect(mixed.all).toContain(other);

    const partial = await run(["merge", files[0]!]);
    expect(partial.exitCode).toBe(1);
    expect(partial.all).toContain("shard(s) 2 missing");
  });

  it("a failing shard fails the merge; bad input exits 2 naming the file", async () => {
    const file = join(out.path, "failed.json");
    writeFileSync(
      file,
      JSON.stringify({
        store: "s",
        seed: 1,
        shard: { index: 1, count: 1 },
        results: [
          { id: "tripwire-timing", expectation: "hold", verdict: "failed", ok: false, runs: 3, timeMs: 5, seed: 1 },
        ],
      }),
    );
    const merged = await run(["merge", file]);
    expect(merged.exitCode).toBe(1);
    expect(merged.all).toContain("FAIL: failed");
    const bad = join(out.path, "bad.json");
    writeFileSync(bad, "{}");
    const rejected = await run(["merge", bad]);
    expect(rejected.exitCode).toBe(2);
    expect(rejected.all).toContain(bad);
  });
});
