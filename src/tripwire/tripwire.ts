import type { Logger } from "pino";
import { TRIPWIRE_EVENT, type SessionStoreCacheInvalidated } from "./payload.js";
import type { WriterCacheLoad } from "../freshness/writer-cache.js";

export type InvalidatedLoad = Extract<WriterCacheLoad, { kind: "invalidated" }>;
export type TripwireEmitter = (payload: SessionStoreCacheInvalidated) => void;

/**
 * The tripwire part: turns an invalidated load into the payload and reports it. `report` is
 * fail-open: neither a throwing logger nor a throwing (or rejecting) emitter reaches the writer.
 */
export type Tripwire = {
  report(storePath: string, load: InvalidatedLoad): void;
  setEmitter(emit: TripwireEmitter | null): void;
};

export function buildPayload(storePath: string, load: InvalidatedLoad): SessionStoreCacheInvalidated {
  const head = {
    schemaVersion: 1,
    type: TRIPWIRE_EVENT,
    storePath,
    expectedMtime: load.expected.mtimeMs,
    expectedSize: load.expected.size,
  } as const;
  return load.reason === "missing_file"
    ? { ...head, reason: "missing_file", observedMtime: null, observedSize: null }
    : { ...head, reason: "stat_mismatch", observedMtime: load.observed.mtimeMs, observedSize: load.observed.size };
}

export type TripwireOptions = {
  logger: () => Logger;
  build?: typeof buildPayload;
};

export function createTripwire({ logger, build = buildPayload }: TripwireOptions): Tripwire {
  let emitter: TripwireEmitter | null = null;
  return {
    setEmitter(emit) {
      emitter = emit;
    },
    report(storePath, load) {
      const payload = build(storePath, load);
      failOpen(() => logger().warn({ payload }, TRIPWIRE_EVENT));
      if (emitter) failOpen(() => emitter?.(payload));
    },
  };
}

function failOpen(call: () => unknown): void {
  try {
    const result = call();
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // Fail-open by contract: observability must never break a write.
  }
}
