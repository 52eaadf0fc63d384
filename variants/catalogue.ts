import type { StoreParts } from "../src/create-store.js";
import * as parts from "./broken-parts.js";

/**
 * The broken variants: each swaps one part of our store. `caughtBy` is the property that must
 * fail on it and `op` the operation its shrunk counterexample must contain.
 */
export type Variant = {
  name: string;
  bug: string;
  reference: string;
  swap: Partial<StoreParts>;
  caughtBy: string;
  /**
   * Operations (as `opTokens` names them) of which the shrunk counterexample must hold one: the
   * ones that tell this bug from a correct store, never one every schedule has.
   */
  ops: string[];
};

export const VARIANTS: readonly Variant[] = [
  {
    name: "mtime-only",
    bug: "the cache compares only mtimeMs",
    reference: "openclaw/openclaw#9776",
    swap: { freshness: parts.mtimeOnlyCheck },
    caughtBy: "tripwire-timing",
    ops: ["same-second-edit:new-size", "coarse:write", "coarse:rewrite-in-place", "coarse:same-second-edit"],
  },
  {
    name: "unchecked-cache",
    bug: "a writer uses its cache without checking the file",
    reference: "openclaw/openclaw#10331",
    swap: { freshness: parts.uncheckedCache },
    caughtBy: "no-lost-update",
    ops: ["interleaved-change"],
  },
  {
    name: "silent-reload",
    bug: "the reload never emits the tripwire",
    reference: "openclaw/openclaw#79305",
    swap: { tripwire: parts.silentTripwire },
    caughtBy: "tripwire-timing",
    ops: ["interleaved-change"],
  },
  {
    name: "swapped-payload",
    bug: "observed* and expected* swapped in the payload",
    reference: "(synthetic)",
    swap: { tripwire: parts.swappedPayloadTripwire },
    caughtBy: "payload-fields",
    ops: ["interleaved-change"],
  },
  {
    name: "fail-closed",
    bug: "a throwing emitter aborts the write",
    reference: "(synthetic)",
    swap: { tripwire: parts.failClosedTripwire },
    caughtBy: "fail-open",
    ops: ["interleaved-change"],
  },
  {
    name: "stale-acp-snapshot",
    bug: "ACP snapshot taken from the stale cache before the reload",
    reference: "openclaw/openclaw PR #81970",
    swap: { acp: parts.staleAcpSnapshot },
    caughtBy: "acp-survives",
    ops: ["acp-bind", "write:bind-acp"],
  },
  {
    name: "no-queue",
    bug: "in-process writers are not serialized",
    reference: "(synthetic)",
    swap: { queue: parts.noQueue },
    caughtBy: "in-process-merges",
    ops: ["batch"],
  },
  {
    name: "lenient-parse",
    bug: "an unparseable store reads as {} and is overwritten",
    reference: "openclaw/openclaw#77783",
    swap: { persistence: parts.lenientPersistence },
    caughtBy: "unparseable-refused",
    ops: ["bad-edit"],
  },
  {
    name: "anonymous-temp",
    bug: "temp files do not carry the writer's pid",
    reference: "openclaw/openclaw#89520",
    swap: { persistence: parts.anonymousTempPersistence },
    caughtBy: "crash-safety",
    ops: ["pause:before-rename"],
  },
  {
    name: "in-place-write",
    bug: "the store is rewritten in place, not renamed",
    reference: "sindresorhus/electron-store#21",
    swap: { persistence: parts.inPlacePersistence },
    caughtBy: "crash-safety",
    ops: ["pause:before-rename"],
  },
];

export const variantByName = (name: string): Variant => {
  const found = VARIANTS.find((variant) => variant.name === name);
  if (!found) throw new Error(`unknown variant ${name}; known: ${VARIANTS.map((v) => v.name).join(", ")}`);
  return found;
};
