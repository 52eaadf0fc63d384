import { setTimeout as delay } from "node:timers/promises";
import { expect, it } from "vitest";
import { inOrder } from "../../api/in-order.js";

/** Work that takes `ms` and records when it started, on which slot. */
function recorder() {
  const started: { item: string; slot: number }[] = [];
  const work = async ([item, ms]: readonly [string, number], slot: number) => {
    started.push({ item, slot });
    await delay(ms);
    return item.toUpperCase();
  };
  return { started, work };
}

const items = [
  ["a", 30],
  ["b", 5],
  ["c", 60],
  ["d", 5],
] as const;

it("hands results over in the items' order, whatever finishes first and however many slots", async () => {
  for (const jobs of [1, 2, 4]) {
    const { work } = recorder();
    const seen: string[] = [];
    const results = await inOrder(
      items,
      jobs,
      (slot) => slot,
      work,
      (result) => void seen.push(result),
    );
    expect(results).toEqual(["A", "B", "C", "D"]);
    expect(seen).toEqual(["A", "B", "C", "D"]);
  }
});

it("starts items in startOrder, at most `jobs` at once, each slot keeping its resource", async () => {
  const { started, work } = recorder();
  const made: number[] = [];
  const results = await inOrder(
    items,
    2,
    (slot) => (made.push(slot), slot),
    work,
    () => undefined,
    [2, 0, 1, 3],
  );
  expect(results).toEqual(["A", "B", "C", "D"]);
  expect(started.map((s) => s.item)).toEqual(["c", "a", "b", "d"]);
  expect(
    started
      .slice(0, 2)
      .map((s) => s.slot)
      .sort(),
  ).toEqual([0, 1]);
  expect(made.sort()).toEqual([0, 1]);
});

it("lets the rest finish and throws the first error", async () => {
  const finished: string[] = [];
  const work = async ([item, ms]: readonly [string, number]) => {
    await delay(ms);
    if (item === "b") throw new Error("b failed");
    finished.push(item);
    return item;
  };
  await expect(inOrder(items, 2, () => 0, work)).rejects.toThrow("b failed");
  expect(finished).toContain("a");
});
