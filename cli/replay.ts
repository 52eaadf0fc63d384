import { replay as replayScenarios } from "../api/replay.js";
import type { StoreOptions } from "./store-option.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/**
 * Replays scenario files: each expectation on the store it names (`under-test` is `--store`),
 * the timeline and a verdict per property; exit 0 all as expected, 1 not (bad usage throws).
 */
export async function replay(files: string[], opts: StoreOptions): Promise<number> {
  return (await replayScenarios(files, { ...opts, log: say })).exitCode;
}
