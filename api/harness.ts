/**
 * drift-harness's programmatic API (`import { explore, replay } from "drift-harness/harness"`):
 * the same runs as the CLI's `explore` and `replay`, with the same options, returning what the
 * CLI prints as data. Nothing is printed unless a `log` function is given.
 */
export { explore, type ExploreOptions, type ExploreResult } from "./explore.js";
export { replay, type ReplayOptions, type ReplayRunResult, type ReplayedScenario } from "./replay.js";
export type { ExploredProperty } from "./explain.js";
export { UsageError } from "./errors.js";
export type { Shard } from "../properties/run/shard.js";
export type { StoreSpec, TargetOptions } from "./store-target.js";
export { PROPERTY_IDS } from "../properties/catalogue.js";
export { LIMITATION_IDS, type LimitationId } from "../src/types.js";
