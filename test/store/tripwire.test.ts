import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSessionStore } from "../../src/create-store.js";
import { createSubsystemLogger } from "../../src/logger.js";
import { SessionStoreCacheInvalidatedSchema, type SessionStoreCacheInvalidated } from "../../src/tripwire/payload.js";
import { buildPayload, createTripwire, type InvalidatedLoad } from "../../src/tripwire/tripwire.js";
import { entry, missingPayload, readStore, nextTurn, stalePayload, useTempDir } from "./helpers.js";

const tmpDir = useTempDir();

const PATH = "/stores/sessions.json";
const stale = {
  store: {},
  stat: { kind: "present", mtimeMs: 1795564808631.4177, size: 388, ino: 1 },
  text: "{}\n",
} as const;
const mismatch: InvalidatedLoad = {
  kind: "invalidated",
  reason: "stat_mismatch",
  expected: { mtimeMs: 1795564808631.4177, size: 388 },
  observed: { mtimeMs: 1795564808634.0427, size: 412 },
  stale,
};
const missing: InvalidatedLoad = {
  kind: "invalidated",
  reason: "missing_file",
  expected: { mtimeMs: 1795564808631.4177, size: 388 },
  observed: null,
  stale,
};
const mismatchPayload = stalePayload(PATH, mismatch.expected, { mtimeMs: 1795564808634.0427, size: 412 });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the payload", () => {
  it("is built exactly from the load, for both reasons, and validates", () => {
    expect(buildPayload(PATH, mismatch)).toEqual(mismatchPayload);
    expect(buildPayload(PATH, missing)).toEqual(missingPayload(PATH, missing.expected));
    expect(SessionStoreCacheInvalidatedSchema.safeParse(buildPayload(PATH, mismatch)).success).toBe(true);
    expect(SessionStoreCacheInvalidatedSchema.safeParse(buildPayload(PATH, missing)).success).toBe(true);
  });

  const { observedSize: _dropped, ...withoutObservedSize } = mismatchPayload;
  const invalid: Array<[string, unknown]> = [
    ["a missing field", withoutObservedSize],
    ["null observed fields on stat_mismatch", { ...mismatchPayload, observedMtime: null, observedSize: null }],
    [
      "numbers in place of nulls on missing_file",
      { ...missingPayload(PATH, missing.expected), observedMtime: 1, observedSize: 1 },
    ],
    ["a relative storePath", { ...mismatchPayload, storePath: "stores/sessions.json" }],
    ["an extra field", { ...mismatchPayload, pid: 123 }],
    ["another schemaVersion", { ...mismatchPayload, schemaVersion: 2 }],
    ["an unknown reason", { ...mismatchPayload, reason: "renamed" }],
    ["a fractional size", { ...mismatchPayload, observedSize: 1.5 }],
  ];
  it.each(invalid)("rejects %s", (_name, candidate) => {
    expect(SessionStoreCacheInvalidatedSchema.safeParse(candidate).success).toBe(false);
  });
});

describe("report", () => {
  it("hands the payload to the emitter once, and stops after the emitter is reset", () => {
    const seen: SessionStoreCacheInvalidated[] = [];
    const tripwire = createTripwire({ logger: () => createSubsystemLogger("sessions/store") });
    tripwire.setEmitter((p) => seen.push(p));
    tripwire.report(PATH, mismatch);
    tripwire.setEmitter(null);
    tripwire.report(PATH, missing);
    expect(seen).toEqual([mismatchPayload]);
  });

  it("logs one JSON warn line on the sessions/store subsystem", () => {
    vi.stubEnv("SESSION_STORE_LOG_LEVEL", "info");
    const lines: string[] = [];
    const logger = createSubsystemLogger("sessions/store", { write: (s: string) => void lines.push(s) });
    createTripwire({ logger: () => logger }).report(PATH, mismatch);

    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith("\n")).toBe(true);
    const { time, ...rest } = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(typeof time).toBe("string");
    expect(rest).toEqual({
      level: "warn",
      subsystem: "sessions/store",
      message: "session_store_cache_invalidated",
      payload: mismatchPayload,
    });
  });

  it("logs nothing at level silent", () => {
    vi.stubEnv("SESSION_STORE_LOG_LEVEL", "silent");
    const lines: string[] = [];
    const logger = createSubsystemLogger("sessions/store", { write: (s: string) => void lines.push(s) });
    createTripwire({ logger: () => logger }).report(PATH, mismatch);
    expect(lines).toEqual([]);
  });
});

describe("fail-open", () => {
  const throwingLogger = () =>
    ({
      warn: () => {
        throw new Error("logger down");
      },
    }) as unknown as Logger;

  it("swallows a throwing logger factory and a throwing logger, and still emits", () => {
    const seen: SessionStoreCacheInvalidated[] = [];
    for (const logger of [
      () => {
        throw new Error("no logger");
      },
      throwingLogger,
    ]) {
      const tripwire = createTripwire({ logger });
      tripwire.setEmitter((p) => seen.push(p));
      expect(() => tripwire.report(PATH, mismatch)).not.toThrow();
    }
    expect(seen).toEqual([mismatchPayload, mismatchPayload]);
  });

  it("swallows a throwing emitter and an emitter's rejected promise, with no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const tripwire = createTripwire({ logger: throwingLogger });
      tripwire.setEmitter(() => {
        throw new Error("emitter down");
      });
      expect(() => tripwire.report(PATH, mismatch)).not.toThrow();
      tripwire.setEmitter(async () => {
        throw new Error("emitter rejected");
      });
      expect(() => tripwire.report(PATH, mismatch)).not.toThrow();
      await nextTurn();
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("lets the writer go on unchanged when logger and emitter both fail", async () => {
    const store = createSessionStore({ tripwire: () => createTripwire({ logger: throwingLogger }) });
    let calls = 0;
    store._setSessionStoreCacheInvalidatedEmitterForTest(() => {
      calls += 1;
      throw new Error("emitter down");
    });
    const path = join(tmpDir(), "sessions.json");
    await store.updateSessionStore(path, (s) => void (s.a = entry("a")));
    writeFileSync(path, JSON.stringify({ x: entry("x") }));

    await expect(store.updateSessionStore(path, (s) => Object.keys(s))).resolves.toEqual(["x"]);
    expect(calls).toBe(1);
    expect(readStore(path)).toEqual({ x: entry("x") });
  });
});
