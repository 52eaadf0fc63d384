import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../../harness/paths.js";
import { PROPERTY_IDS } from "../../properties/catalogue.js";

/**
 * The example consumer (`examples/store-suite/`) as a user gets it: this project packed with
 * `npm pack`, the tarball installed into a copy of the example, and the example's own vitest
 * suite run there, once on its good store and once on its broken one. This is also the proof
 * that package.json's `exports`, `bin` and `files` are right.
 */
type VitestJson = {
  numFailedTests: number;
  numPassedTests: number;
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
};

/** The nested vitest must not think it runs inside this one. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST") && name !== "NODE_OPTIONS"),
);

describe("the example consumer, installed from the packed tarball", () => {
  let dir: string;
  let suite: string;
  let good: { exitCode: number | undefined; report: VitestJson };
  let broken: { exitCode: number | undefined; report: VitestJson };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "drift-example-"));
    // The build is fresh (npm test builds first), so the pack skips prepack's own build.
    const packed = await execa("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: projectRoot,
    });
    const tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    suite = join(dir, "store-suite");
    cpSync(join(projectRoot, "examples", "store-suite"), suite, {
      recursive: true,
      filter: (src) => !/node_modules|counterexamples/.test(src),
    });
    await execa("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
      cwd: suite,
      env: cleanEnv,
      extendEnv: false,
    });
    const run = async (env: Record<string, string>, name: string) => {
      const out = join(dir, `${name}.json`);
      const result = await execa("npx", ["vitest", "run", "--reporter=json", `--outputFile=${out}`], {
        cwd: suite,
        env: { ...cleanEnv, ...env },
        extendEnv: false,
        reject: false,
      });
      if (!existsSync(out))
        throw new Error(`the example's ${name} suite wrote no report (exit ${result.exitCode}):\n${result.stderr}`);
      return { exitCode: result.exitCode, report: JSON.parse(readFileSync(out, "utf8")) as VitestJson };
    };
    [good, broken] = await Promise.all([run({}, "good"), run({ STORE_MODULE: "../src/broken-store.js" }, "broken")]);
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const tests = (report: VitestJson) => report.testResults.flatMap((file) => file.assertionResults);

  it("registers one test per property and limitation, and the good store passes them all", () => {
    expect(good.exitCode).toBe(0);
    const results = tests(good.report);
    expect(results.map((t) => t.title.split(/[: ]/)[0])).toEqual([...PROPERTY_IDS]);
    expect(results.filter((t) => t.status !== "passed")).toEqual([]);
  });

  it("fails on the broken store with the timeline, the seed and the replay command", () => {
    expect(broken.exitCode).toBe(1);
    const failed = tests(broken.report).filter((t) => t.status === "failed");
    const lost = failed.find((t) => t.title.startsWith("no-lost-update"));
    expect(lost, `failed: ${failed.map((t) => t.title).join(", ")}`).toBeDefined();
    const message = lost!.failureMessages.join("\n");
    expect(message).toContain("no-lost-update must hold, but failed (seed 1,");
    expect(message).toMatch(/step {2}g0/);
    expect(message).toContain("✗");
    expect(message).toMatch(
      /replay: npx drift-harness replay \S+no-lost-update-seed1\.json --store \S+broken-store\.js/,
    );
    // The broken part is the writer's cache, nothing else: the properties it cannot touch hold.
    expect(tests(broken.report).find((t) => t.title.startsWith("in-process-merges"))?.status).toBe("passed");
  });

  it("the printed replay command reproduces the counterexample through the package's bin", async () => {
    const files = readdirSync(join(suite, "counterexamples"));
    expect(files).toContain("no-lost-update-seed1.json");
    const replayed = await execa(
      "npx",
      ["drift-harness", "replay", "counterexamples/no-lost-update-seed1.json", "--store", "src/broken-store.js"],
      { cwd: suite, env: cleanEnv, extendEnv: false, reject: false },
    );
    expect(replayed.exitCode, replayed.stdout + replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain("ok: under-test: no-lost-update failed (expected: fails)");
  }, 60_000);

  it("the programmatic API, imported from the package, returns the verdicts and prints nothing", async () => {
    const script = `
      import { explore } from "drift-harness/harness";
      const result = await explore({ store: "src/broken-store.js", only: ["no-lost-update", "in-process-merges"], runs: 10, seed: 1, out: "api-counterexamples" });
      process.stderr.write(JSON.stringify(result.results.map((r) => ({ id: r.id, verdict: r.verdict, replayFile: r.replayFile ?? null, timeline: Boolean(r.timeline) }))));
    `;
    const ran = await execa("node", ["--input-type=module", "-e", script], {
      cwd: suite,
      env: cleanEnv,
      extendEnv: false,
    });
    expect(ran.stdout).toBe("");
    const results = JSON.parse(ran.stderr) as {
      id: string;
      verdict: string;
      replayFile: string | null;
      timeline: boolean;
    }[];
    expect(results.map((r) => [r.id, r.verdict])).toEqual([
      ["no-lost-update", "failed"],
      ["in-process-merges", "held"],
    ]);
    expect(results[0]!.timeline).toBe(true);
    expect(existsSync(results[0]!.replayFile!)).toBe(true);
  }, 60_000);

  it("drift-harness/hardened is the hardened store, in the consumer's Node and in its vitest", async () => {
    const script = `
      const [plain, hardened] = await Promise.all([import("drift-harness"), import("drift-harness/hardened")]);
      process.stdout.write(JSON.stringify([plain.knownLimitations, hardened.knownLimitations, typeof hardened.updateSessionStore]));
    `;
    const ran = await execa("node", ["--input-type=module", "-e", script], {
      cwd: suite,
      env: cleanEnv,
      extendEnv: false,
    });
    expect(JSON.parse(ran.stdout)).toEqual([
      ["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"],
      [],
      "function",
    ]);
    // The subpath is index.js with a query on its URL: a consumer's vitest must keep the query.
    const file = join(suite, "test", "hardened-subpath.test.js");
    writeFileSync(
      file,
      `import { expect, it } from "vitest";\nimport * as hardened from "drift-harness/hardened";\nit("is hardened", () => expect(hardened.knownLimitations).toEqual([]));\n`,
    );
    const vitest = await execa("npx", ["vitest", "run", "test/hardened-subpath.test.js"], {
      cwd: suite,
      env: cleanEnv,
      extendEnv: false,
      reject: false,
    });
    expect(vitest.exitCode, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toContain("1 passed");
  }, 60_000);
});
