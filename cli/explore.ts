import { explore as exploreStore, type ExploreOptions as ApiExploreOptions } from "../api/explore.js";
import type { Shard } from "./shard.js";
import type { StoreOptions } from "./store-option.js";

export type ExploreOptions = StoreOptions & {
  runs?: number;
  seed?: number;
  out: string;
  only?: string[];
  json?: string;
  shard?: Shard;
  jobs?: number;
  findings?: number;
};

const say = (line = "") => process.stdout.write(`${line}\n`);

/** Runs every property and limitation against a store, printing as it goes; returns the exit code (0 or 1; bad usage throws). */
export async function explore(opts: ExploreOptions): Promise<number> {
  const progress: ApiExploreOptions["onRun"] = (id, done) => {
    if (process.stderr.isTTY) process.stderr.write(`\r  ${id}: ${done} run(s)…`);
  };
  const log = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    say(line);
  };
  const result = await exploreStore({ ...opts, log, onRun: progress });
  return result.exitCode;
}
