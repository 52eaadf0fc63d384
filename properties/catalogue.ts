import { acpSurvives } from "./acp-survives.property.js";
import { crashSafety } from "./crash-safety.property.js";
import type { PropertyDefinition } from "./definition.js";
import { failOpen } from "./fail-open.property.js";
import { inProcessMerges } from "./in-process-merges.property.js";
import { coarseMtime } from "./limitations/coarse-mtime.property.js";
import { emptyCacheBypass } from "./limitations/empty-cache-bypass.property.js";
import { midFlightDrift } from "./limitations/mid-flight-drift.property.js";
import { noLostUpdate } from "./no-lost-update.property.js";
import { payloadFields } from "./payload-fields.property.js";
import { tripwireTiming } from "./tripwire-timing.property.js";
import { unparseableRefused } from "./unparseable-refused.property.js";

/** Every property, in the order they are reported; the last three are the known limitations. */
export const PROPERTIES: readonly PropertyDefinition[] = [
  inProcessMerges,
  tripwireTiming,
  payloadFields,
  noLostUpdate,
  acpSurvives,
  failOpen,
  crashSafety,
  unparseableRefused,
  midFlightDrift,
  emptyCacheBypass,
  coarseMtime,
];

export const PROPERTY_IDS = PROPERTIES.map((property) => property.id);

/** A property id that names no property: a usage error wherever it comes from. */
export class UnknownPropertyError extends Error {
  override readonly name = "UnknownPropertyError";
}

export function propertyById(id: string): PropertyDefinition {
  const found = PROPERTIES.find((property) => property.id === id);
  if (!found)
    throw new UnknownPropertyError(`unknown property ${JSON.stringify(id)}; known: ${PROPERTY_IDS.join(", ")}`);
  return found;
}
