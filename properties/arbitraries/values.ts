import fc from "fast-check";

/** Three keys, so that operations collide on the same session often. */
export const sessionKey = (): fc.Arbitrary<string> => fc.constantFrom("a", "b", "c");

/** Free fields: one short note of fixed width, so that same-size edits stay possible. */
export const fields = (): fc.Arbitrary<Record<string, string>> =>
  fc.record({ note: fc.constantFrom("n1", "n2", "n3") });

/** Two distinct ACP bindings, e.g. `{ backend: "acpx", agent: "codex", state: "bound" }`. */
/** One part of a binding, as openclaw's ACP callers change it: its state, or one runtime option. */
export const acpPart = (): fc.Arbitrary<Record<string, string>> =>
  fc.constantFrom<Record<string, string>>({ state: "running" }, { state: "idle" }, { model: "gpt-5" }, { cwd: "/w" });

export const acpBinding = (): fc.Arbitrary<Record<string, string>> =>
  fc.constantFrom(
    { backend: "acpx", agent: "codex", state: "bound" },
    { backend: "acpx", agent: "claude", state: "bound" },
  );
