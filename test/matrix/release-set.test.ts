import { describe, expect, it } from "vitest";
import { expandReleaseSet, parseReleaseSet, ReleaseSetError } from "../../matrix/release-set.js";
import { shardReleases } from "../../matrix/shard-releases.js";
import { compareVersions, sortVersions } from "../../matrix/versions.js";

const PUBLISHED = [
  "0.0.1",
  "2026.2.1",
  "2026.2.12",
  "2026.2.2",
  "2026.3.1",
  "2026.5.3-1",
  "2026.5.3",
  "2026.5.6",
  "2026.5.7-beta.2",
];

describe("release sets", () => {
  it("orders versions numerically, a prerelease before its release", () => {
    expect(sortVersions(PUBLISHED)).toEqual([
      "0.0.1",
      "2026.2.1",
      "2026.2.2",
      "2026.2.12",
      "2026.3.1",
      "2026.5.3-1",
      "2026.5.3",
      "2026.5.6",
      "2026.5.7-beta.2",
    ]);
    expect(compareVersions("2026.5.7-beta.2", "2026.5.7-beta.10")).toBeLessThan(0);
  });

  it("a range is every published release between its ends, prereleases only when asked", () => {
    const range = parseReleaseSet("openclaw@2026.2.1..2026.5.6");
    expect(expandReleaseSet(range, PUBLISHED)).toEqual([
      "2026.2.1",
      "2026.2.2",
      "2026.2.12",
      "2026.3.1",
      "2026.5.3",
      "2026.5.6",
    ]);
    expect(expandReleaseSet(range, PUBLISHED, { prereleases: true })).toContain("2026.5.3-1");
  });

  it("a comma list is taken in version order, with or without the openclaw@ on each", () => {
    expect(expandReleaseSet(parseReleaseSet("openclaw@2026.5.6,openclaw@2026.2.1,2026.3.1"), PUBLISHED)).toEqual([
      "2026.2.1",
      "2026.3.1",
      "2026.5.6",
    ]);
  });

  it("bad input says what is wrong", () => {
    expect(() => parseReleaseSet("openclaw@2026.5.6..2026.2.1")).toThrow(/2026.5.6 comes after 2026.2.1/);
    expect(() => parseReleaseSet("openclaw@latest")).toThrow(ReleaseSetError);
    expect(() => parseReleaseSet("dist/src/index.js")).toThrow(/openclaw@A..B/);
    expect(() => expandReleaseSet(parseReleaseSet("openclaw@2026.2.1..2026.9.9"), PUBLISHED)).toThrow(
      /2026.9.9 is not published/,
    );
  });

  it("shard i of n takes every n-th release from the i-th; together the shards take all", () => {
    const all = ["a", "b", "c", "d", "e"];
    expect(shardReleases(all, { index: 1, count: 2 })).toEqual(["a", "c", "e"]);
    expect(shardReleases(all, { index: 2, count: 2 })).toEqual(["b", "d"]);
  });
});
