import { describe, expect, it } from "vitest";
import { expandReleaseSet, parseReleaseSet, releaseSpec } from "../../matrix/release-set.js";

const PUBLISHED = new Map([
  ["conf", ["7.1.2", "8.0.0", "9.0.0", "9.0.1", "10.0.0", "16.0.0"]],
  ["lowdb", ["7.0.0", "7.0.1"]],
  ["openclaw", ["2026.7.35"]],
]);

describe("release sets of the package adapters", () => {
  it("a range of one package, labelled <name>@<version>", () => {
    expect(expandReleaseSet(parseReleaseSet("conf@8.0.0..10.0.0"), PUBLISHED)).toEqual([
      "conf@8.0.0",
      "conf@9.0.0",
      "conf@9.0.1",
      "conf@10.0.0",
    ]);
  });

  it("a list across packages keeps openclaw's bare version labels", () => {
    const releases = expandReleaseSet(parseReleaseSet("conf@16.0.0,lowdb@7.0.1,7.0.0,openclaw@2026.7.35"), PUBLISHED);
    expect(releases).toEqual(["conf@16.0.0", "lowdb@7.0.0", "lowdb@7.0.1", "2026.7.35"]);
    expect(releases.map(releaseSpec)).toEqual(["conf@16.0.0", "lowdb@7.0.0", "lowdb@7.0.1", "openclaw@2026.7.35"]);
  });

  it("an unpublished end names the package", () => {
    expect(() => expandReleaseSet(parseReleaseSet("conf@8.0.0..11.0.0"), PUBLISHED)).toThrow(
      /conf@11.0.0 is not published/,
    );
  });
});
