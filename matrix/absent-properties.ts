import type { AbsentFeature } from "../harness/protocol.js";

/** The properties that need a feature of the contract: without it they say nothing about the store. */
const NEEDS: Record<string, readonly string[]> = {
  tripwire: ["tripwire-timing", "payload-fields", "fail-open"],
};

/** Why `property` cannot be judged on a store that lacks `absent`, or undefined when it can. */
export function absentBecause(property: string, absent: readonly AbsentFeature[]): string | undefined {
  const missing = absent.find(({ feature }) => NEEDS[feature]?.includes(property));
  return missing ? `${missing.feature} absent: ${missing.reason}` : undefined;
}
