import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withPool } from "../../harness/pool/pool.js";
import { propertyById } from "../../properties/catalogue.js";
import type { PropertyDefinition } from "../../properties/definition.js";
import { noLostUpdate } from "../../properties/no-lost-update.property.js";
import { sameSignature } from "../../properties/run/findings.js";
import { runProperty, type PropertyResult } from "../../properties/run/run-property.js";
import { probeCapabilities } from "../../properties/run/stores.js";
import { loadScenario } from "../../properties/scenario/load.js";
import { saveFindings } from "../../properties/scenario/save.js";
import { fixtureModule } from "../harness/helpers.js";
import { usePool } from "./pool-fixture.js";

/**
 * A property goes on after its first counterexample and reports every distinct finding; one
 * the store cannot be exercised on is `not-explorable`, never run.
 */
const TWO_BUGS = fixtureModule("two-bugs-store.mjs");
const pool = usePool(TWO_BUGS);

/** no-lost-update on short schedules that reach both bugs: a stale cache and a lenient parse. */
const narrow: PropertyDefinition = {
  ...noLostUpdate,
  profile: {
    gateways: { min: 1, max: 1 },
    externals: { min: 1, max: 1 },
    coarseClock: "never",
    maxSteps: 4,
    steps: { write: 3, "external-write": 2, "bad-edit": 2 },
  },
};
const SEED = 7;

const explore = (): Promise<PropertyResult> =>
  runProperty(narrow, {
    pool: pool(),
    capabilities: { checkpoints: "hook" },
    closed: new Set(),
    runs: 30,
    seed: SEED,
    findings: 5,
  });

const filesOf = (result: PropertyResult): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), "drift-findings-"));
  try {
    saveFindings(result, TWO_BUGS, dir);
    // Every file it wrote is a scenario replay accepts (a lost write's oracle marks once made it refuse them).
    for (const name of readdirSync(dir)) loadScenario(join(dir, name));
    return Object.fromEntries(
      readdirSync(dir)
        .sort()
        .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe("findings", () => {
  it("a store with two bugs gives two findings with different signatures, the same ones and files for the same seed", async () => {
    const first = await explore();
    expect(first.verdict).toBe("failed");
    expect(first.runs).toBeLessThanOrEqual(30);
    const signatures = first.findings.map((finding) => finding.signature);
    expect(signatures.map((signature) => signature.check).sort()).toEqual(["lost-write", "outcome"]);
    expect(sameSignature(signatures[0]!, signatures[1]!)).toBe(false);
    // The lenient parse: a writer on an unparseable store succeeds; the stale cache: an outside
    // write lost, named by the version oracle at the step whose write dropped it.
    const [lenient, stale] = ["outcome", "lost-write"].map(
      (check) => signatures.find((signature) => signature.check === check)!,
    );
    expect(lenient!.ops).toContain("bad-edit");
    expect(stale!.ops).toContain("write");
    expect(first.counterexample).toBe(first.findings[0]!.counterexample);
    const files = filesOf(first);
    expect(Object.keys(files)).toEqual([`no-lost-update-seed${SEED}-finding2.json`, `no-lost-update-seed${SEED}.json`]);

    const again = await explore();
    expect(again.findings.map((finding) => finding.signature)).toEqual(signatures);
    expect(again.findings.map((finding) => finding.path)).toEqual(first.findings.map((finding) => finding.path));
    expect(filesOf(again)).toEqual(files);
  });

  it("stops at the first counterexample unless asked for more (findings: 1, the default)", async () => {
    const one = await runProperty(narrow, {
      pool: pool(),
      capabilities: { checkpoints: "hook" },
      closed: new Set(),
      runs: 30,
      seed: SEED,
    });
    expect(one.findings).toHaveLength(1);
  });
});

describe("not explorable", () => {
  it("a store without a tripwire emitter: tripwire-timing, payload-fields and fail-open are not explorable, nothing runs", async () => {
    const capabilities = await withPool({ storeModule: fixtureModule("no-tripwire-store.mjs") }, probeCapabilities);
    expect(capabilities).toMatchObject({ checkpoints: "fs", tripwire: false });
    for (const id of ["tripwire-timing", "payload-fields", "fail-open"]) {
      const result = await runProperty(propertyById(id), { pool: pool(), capabilities, closed: new Set(), seed: SEED });
      expect(result).toMatchObject({ verdict: "not-explorable", ok: true, runs: 0, findings: [] });
      expect(result.notExplorable).toMatch(/no tripwire emitter/);
    }
  });

  it("writers that cannot be held: mid-flight-drift is not explorable, not 'no longer reproduces'", async () => {
    const result = await runProperty(propertyById("mid-flight-drift"), {
      pool: pool(),
      capabilities: { checkpoints: "none" },
      closed: new Set(),
      seed: SEED,
    });
    expect(result.verdict).toBe("not-explorable");
    expect(result.notExplorable).toMatch(/cannot be held/);
  });
});
