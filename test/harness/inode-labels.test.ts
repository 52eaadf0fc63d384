import { expect, it } from "vitest";
import { InodeLabels } from "../../harness/history/inode-labels.js";

const present = (ino: number) => ({ kind: "present" as const, mtimeMs: 1, size: 2, ino });

it("labels an inode by where it sits in the file's history, not by the number the file system reused", () => {
  const labels = new InodeLabels();
  const seen = [present(7), present(7), present(9), { kind: "missing" as const }, present(7), present(9)].map((stat) =>
    labels.observe(stat),
  );
  // The file came back after a delete on a reused number: a new identity all the same.
  expect(seen).toEqual(["i0", "i0", "i1", null, "i2", "i3"]);
});
