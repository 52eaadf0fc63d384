import { describe, expect, it } from "vitest";
import { candidateMajors, satisfies } from "../../adapters/openclaw/engines.js";
import { parseReleaseSpec } from "../../adapters/openclaw/release-spec.js";

describe("engines.node ranges", () => {
  it("reads the ranges openclaw releases declare", () => {
    expect(satisfies("v20.20.2", ">=22.12.0")).toBe(false);
    expect(satisfies("v22.23.3", ">=22.14.0")).toBe(true);
    const late = ">=22.22.3 <23 || >=24.15.0 <25 || >=25.9.0";
    expect(satisfies("v22.22.2", late)).toBe(false);
    expect(satisfies("v22.23.3", late)).toBe(true);
    expect(satisfies("v24.14.0", late)).toBe(false);
    expect(satisfies("v26.0.0", late)).toBe(true);
    expect(satisfies("v24.16.0", ">=24.16.0 <25 || >=26.1.0")).toBe(true);
    expect(satisfies("v22.1.0", "^22.0.0")).toBe(true);
  });

  it("tries the lowest major each alternative starts at", () => {
    expect(candidateMajors(">=22.12.0")).toEqual([22]);
    expect(candidateMajors(">=22.22.3 <23 || >=24.15.0 <25 || >=25.9.0")).toEqual([22, 24, 25]);
  });
});

describe("release specs", () => {
  it("takes exact versions only, and leaves module paths alone", () => {
    expect(parseReleaseSpec("openclaw@2026.5.6")).toEqual({ name: "openclaw", version: "2026.5.6" });
    expect(parseReleaseSpec("openclaw@2026.7.1-beta.1")).toEqual({ name: "openclaw", version: "2026.7.1-beta.1" });
    expect(parseReleaseSpec("dist/src/hardened.js")).toBeUndefined();
    expect(() => parseReleaseSpec("openclaw@latest")).toThrow(
      "openclaw@latest: give an exact published version, e.g. openclaw@2026.5.6",
    );
  });
});
