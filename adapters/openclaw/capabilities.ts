import type { LimitationId } from "../../src/types.js";
import type { Layout } from "./layout.js";

/** A part of the contract the release does not have, and what the harness sees instead. */
export type AbsentFeature = {
  feature: "tripwire" | "checkpoint-hook" | "writer-queue" | "writeTextAtomic" | "acp-preservation";
  reason: string;
};

/** What every JSON-era release lacks, and what a lock-file release lacks on top, read from its code. */
export function absentFeatures(layout: Layout): AbsentFeature[] {
  const absent: AbsentFeature[] = [
    {
      feature: "tripwire",
      reason: "the release drops a stale cache entry silently: there is no cache-invalidated event to receive",
    },
    {
      feature: "checkpoint-hook",
      reason: "the release has no writer checkpoint hook: its writers are held at the file-system boundary",
    },
  ];
  if (layout.serialization === "lock-file") {
    absent.push({
      feature: "writer-queue",
      reason: `writers are serialized by a <store>.lock file (withSessionStoreLock), not an in-process queue; runExclusiveSessionStoreWrite takes the same lock`,
    });
  }
  if (!layout.acpPreservation) {
    absent.push({
      feature: "acp-preservation",
      reason: "the writer keeps no snapshot of the entries' acp: a mutator that strips it is written as it is",
    });
  }
  if (!layout.bindings.writeTextAtomic) {
    absent.push({
      feature: "writeTextAtomic",
      reason: "the release writes its temp file and renames it inside the writer; writeTextAtomic rejects",
    });
  }
  return absent;
}

/**
 * The limitations the release's design has. A lock-file release re-reads the file inside its
 * lock on every write (no writer cache), so a same-size same-mtime edit cannot be served stale.
 */
export function releaseLimitations(layout: Layout): LimitationId[] {
  return layout.serialization === "lock-file"
    ? ["mid-flight-drift", "empty-cache-bypass"]
    : ["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"];
}
