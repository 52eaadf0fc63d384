import type { Logger } from "pino";
import { TRIPWIRE_EVENT } from "./event.js";
import type { SessionStoreCacheInvalidated } from "./payload.js";
import type { StatPair } from "../freshness/stat.js";
import type { WriterCacheLoad } from "../freshness/writer-cache.js";

export type InvalidatedLoad = Extract<WriterCacheLoad, { kind: "invalidated" }>;
export type TripwireEmitter = (payload: SessionStoreCacheInvalidated) => void;

/**
 * Signals no cache lookup produces: the parts of a store that closed empty-cache-bypass or
 * mid-flight-drift raise them (see payload.ts for what `expected`/`observed` mean for each).
 */
export type ChangeSignal =
  | { kind: "changed"; reason: "changed_since_last_write"; expected: StatPair; observed: StatPair | null }
  | { kind: "changed"; reason: "changed_before_rename"; expected: StatPair | null; observed: StatPair | null };

export type TripwireSignal = InvalidatedLoad | ChangeSignal;

/**
 * The tripwire part: turns an invalidated load (or another signal) into the payload and
 * reports it. `report` is fail-open: neither a throwing logger nor a throwing (or rejecting)
 * emitter reaches the writer.
 */
export type Tripwire = {
  report(storePath: string, signal: TripwireSignal): void;
  setEmitter(emit: TripwireEmitter | null): void;
};

export function buildPayload(storePath: string, signal: TripwireSignal): SessionStoreCacheInvalidated {
  // Field order is the log line's order, the same for every reason.
  const head = { schemaVersion: 1, type: TRIPWIRE_EVENT, storePath } as const;
  switch (signal.reason) {
    case "missing_file":
      return {
        ...head,
        ...expectedOf(signal.expected),
        reason: "missing_file",
        observedMtime: null,
        observedSize: null,
      };
    case "stat_mismatch":
    case "content_mismatch":
      return { ...head, ...expectedOf(signal.expected), reason: signal.reason, ...observedOf(signal.observed) };
    case "changed_since_last_write":
      return { ...head, ...expectedOf(signal.expected), reason: signal.reason, ...observedOf(signal.observed) };
    case "changed_before_rename":
      return { ...head, ...expectedOf(signal.expected), reason: signal.reason, ...observedOf(signal.observed) };
  }
}

function expectedOf<S extends StatPair | null>(stat: S) {
  return {
    expectedMtime: (stat?.mtimeMs ?? null) as S extends null ? null : number,
    expectedSize: (stat?.size ?? null) as S extends null ? null : number,
  };
}

function observedOf<S extends StatPair | null>(stat: S) {
  return {
    observedMtime: (stat?.mtimeMs ?? null) as S extends null ? null : number,
    observedSize: (stat?.size ?? null) as S extends null ? null : number,
  };
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
    report(storePath, signal) {
      const payload = build(storePath, signal);
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
