import { describe, expect, it } from "vitest";
import { createFifoQueue } from "../../src/queue/fifo-queue.js";
import { gate } from "./helpers.js";

describe("createFifoQueue", () => {
  it("runs tasks for one key one at a time, in arrival order", async () => {
    const run = createFifoQueue();
    const log: string[] = [];
    const gates = { a: gate(), b: gate(), c: gate() };
    // Each task ends only when its gate opens; the gates open in reverse order, so any overlap
    // or reordering would show in the log.
    const task = (name: keyof typeof gates) => async () => {
      log.push(`start ${name}`);
      await gates[name].promise;
      log.push(`end ${name}`);
      return name;
    };
    const all = Promise.all([run("k", task("a")), run("k", task("b")), run("k", task("c"))]);
    gates.c.open();
    gates.b.open();
    await run("other", async () => undefined);
    expect(log).toEqual(["start a"]);
    gates.a.open();

    expect(await all).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("does not start a task before the one ahead of it settles", async () => {
    const run = createFifoQueue();
    const held = gate();
    let secondStarted = false;
    const first = run("k", () => held.promise);
    const second = run("k", async () => {
      secondStarted = true;
    });
    // A task on another key runs to the end meanwhile: the queue had every chance to start the second.
    await run("other", async () => undefined);
    expect(secondStarted).toBe(false);
    held.open();
    await Promise.all([first, second]);
    expect(secondStarted).toBe(true);
  });

  it("hands a throwing or rejecting task's error to its caller only, and goes on", async () => {
    const run = createFifoQueue();
    const thrown = new Error("thrown");
    const rejected = new Error("rejected");
    const order: string[] = [];

    const a = run("k", (() => {
      order.push("a");
      throw thrown;
    }) as () => Promise<never>);
    const b = run("k", async () => {
      order.push("b");
      throw rejected;
    });
    const c = run("k", async () => {
      order.push("c");
      return 42;
    });

    await expect(a).rejects.toBe(thrown);
    await expect(b).rejects.toBe(rejected);
    await expect(c).resolves.toBe(42);
    expect(order).toEqual(["a", "b", "c"]);
    // A later task on the same key still runs once the queue has drained.
    await expect(run("k", async () => "after")).resolves.toBe("after");
  });

  it("runs different keys independently and concurrently", async () => {
    const run = createFifoQueue();
    const held = gate();
    const log: string[] = [];
    const blocked = run("one", async () => {
      log.push("one start");
      await held.promise;
      log.push("one end");
    });
    // "two" completes while "one" is still held: it does not wait behind another key.
    await run("two", async () => {
      log.push("two");
    });
    expect(log).toEqual(["one start", "two"]);
    held.open();
    await blocked;
    expect(log).toEqual(["one start", "two", "one end"]);
  });
});
