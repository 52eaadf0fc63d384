import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { explore } from "../../api/explore.js";
import { distDir } from "../../harness/paths.js";

const root = mkdtempSync(join(tmpdir(), "drift-jobs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );

it("--jobs 1 and --jobs 2 give the same verdicts and byte-identical counterexample files", {
  timeout: 240_000,
}, async () => {
  const store = join(distDir, "variants", "by-name", "unchecked-cache.js");
  const only = ["in-process-merges", "tripwire-timing", "no-lost-update", "mid-flight-drift"];
  const [one, two] = [join(root, "jobs1"), join(root, "jobs2")];
  const first = await explore({ store, only, runs: 10, seed: 5, jobs: 1, out: one });
  const second = await explore({ store, only, runs: 10, seed: 5, jobs: 2, out: two });
  const verdicts = (result: typeof first) => result.results.map((r) => [r.id, r.verdict, r.findings.length]);
  expect(verdicts(second)).toEqual(verdicts(first));
  // The variant loses updates: there is something to compare.
  expect(verdicts(first).filter(([, verdict]) => verdict === "failed").length).toBeGreaterThan(0);
  expect(Object.keys(files(one)).length).toBeGreaterThan(0);
  expect(files(two)).toEqual(files(one));
});
