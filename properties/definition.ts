import type { Profile } from "./arbitraries/profile.js";
import type { CheckContext } from "./checks/context.js";
import type { Violation } from "./checks/violation.js";
import type { LimitationId } from "../src/types.js";

/**
 * A property, defined once and run by vitest and by `drift-harness explore` alike: the shape of
 * the schedules it explores and the check every recorded history must pass. A property with a
 * `limitation` states what the design *wants*; it is expected to fail on a store that still has
 * that limitation, and to hold on one that closed it.
 */
export type PropertyDefinition = {
  id: string;
  title: string;
  limitation?: LimitationId;
  profile: Profile;
  check: (ctx: CheckContext) => Violation[];
  /** Fail-open: each schedule also runs with a throwing emitter, and the two must agree. */
  againstThrowingEmitter?: boolean;
  /**
   * What the store must have for the property to mean anything: `tripwire`, an emitter (its
   * capabilities say `tripwire: false` otherwise); `checkpoints`, writers that can be held;
   * `writer-cache`, a writer that serves its load from a cache (`writerCache` not false);
   * `acp-preservation`, a writer that keeps the entries' `acp` (not declared absent).
   * Without it the property is reported `not-explorable`, never run.
   */
  needs?: readonly ("tripwire" | "checkpoints" | "writer-cache" | "acp-preservation")[];
  /** How many schedules `npm test` and `explore` try by default. */
  defaultRuns: number;
};
