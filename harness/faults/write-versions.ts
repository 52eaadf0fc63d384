import { versionHash } from "../history/snapshot.js";
import { storeChanges } from "../history/store-changes.js";
import type { ProducedVersion, TimeWindow, WriteVersions } from "../history/types.js";
import { parseStoreObject, startingStore, type LenientRead } from "./read-lenient.js";

/**
 * An external write's versions, as the external knows them: the file it read (`read`, at
 * `readAt`) and what it left (`text`, `null`: nothing, the file is gone), landed in `at`. Times
 * on the shared clock.
 */
export function externalVersions(
  read: LenientRead,
  readAt: number,
  text: string | null,
  at: TimeWindow,
): WriteVersions {
  const hash = read.kind === "missing" ? "missing" : versionHash(read.text);
  let produced: ProducedVersion;
  if (text === null) produced = { hash: "missing", at, content: { kind: "missing" } };
  else {
    const store = parseStoreObject(text);
    produced = {
      hash: versionHash(text),
      at,
      content: store ? { kind: "json", changes: storeChanges(startingStore(read), store) } : { kind: "unparseable" },
    };
  }
  return { base: { kind: "read", hash, at: readAt }, produced };
}
