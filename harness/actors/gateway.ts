/**
 * The gateway actor: one process with its own cache and queue, running in-process writers and
 * readers of the store module under test, forwarding every tripwire payload to the parent, and
 * holding a writer at a checkpoint until the parent resumes it.
 */
import { stampWriterTemps } from "../faults/mtime.js";
import { allowedAcpDrops, applyWriterOp } from "../schedule/mutations.js";
import type { CheckpointName, GatewayStep, WriterOp } from "../schedule/schema.js";
import { toErrorInfo, sharedClockMs, type ActorCommand, type ActorInit, type OpOutcome } from "../protocol.js";
import { importStoreModule, type StoreModule } from "./store-module.js";
import { send, serve } from "./channel.js";

type Pause = {
  id: number;
  at: CheckpointName;
  reached: () => void;
  resume?: (coarseSecond: number | null) => void;
};

let store: StoreModule | undefined;
let storeModulePath = "";
let init: ActorInit;
let coarseSecond: number | null = null;
let tripwireStepId = -1;
let pause: Pause | undefined;
let pausedWriter: Promise<OpOutcome> | undefined;
/** Payloads of the step still running, sent with its reply: one IPC message per step, not one more per payload. */
let unanswered: { id: number; payloads: unknown[] } | undefined;

// A spare started with its module path imports it at once, so a restart costs no import.
const preloading = process.argv[2] ? importStoreModule(process.argv[2]) : undefined;
preloading?.catch(() => undefined);

async function setUp(command: ActorInit): Promise<void> {
  try {
    if (store && storeModulePath !== command.storeModule) throw new Error("a warm gateway cannot change store module");
    store ??= process.argv[2] === command.storeModule && preloading ? await preloading : await importStoreModule(command.storeModule);
    storeModulePath = command.storeModule;
  } catch (error) {
    await send({ type: "init-failed", error: toErrorInfo(error) });
    return;
  }
  init = command;
  coarseSecond = command.coarseSecond;
  pause = undefined;
  pausedWriter = undefined;
  store.clearSessionStoreCacheForTest();
  store._setSessionStoreCacheInvalidatedEmitterForTest((payload) => {
    if (unanswered?.id === tripwireStepId) unanswered.payloads.push(payload);
    else void send({ type: "tripwire", id: tripwireStepId, payload });
    if (init.throwingEmitter) throw new Error("tripwire emitter throws on purpose (fail-open check)");
  });
  store._setSessionStoreWriterCheckpointForTest?.(onCheckpoint);
  await send({
    type: "ready",
    pid: process.pid,
    capabilities: {
      checkpoints: typeof store._setSessionStoreWriterCheckpointForTest === "function",
      knownLimitations: store.knownLimitations ? [...store.knownLimitations] : null,
      ...(store.absentFeatures ? { absent: store.absentFeatures.map(({ feature, reason }) => ({ feature, reason })) } : {}),
    },
  });
}

async function onCheckpoint(checkpoint: CheckpointName): Promise<void> {
  const held = pause;
  if (held && held.at === checkpoint && !held.resume) {
    await new Promise<void>((resolve) => {
      held.resume = (second) => {
        coarseSecond = second;
        resolve();
      };
      held.reached();
    });
  }
  if (checkpoint === "before-rename" && coarseSecond !== null) {
    stampWriterTemps(init.storePath, process.pid, coarseSecond);
  }
}

const outcomeOf = (run: Promise<unknown>): Promise<OpOutcome> =>
  run.then(
    (): OpOutcome => ({ status: "ok" }),
    (error: unknown): OpOutcome => ({ status: "error", error: toErrorInfo(error) }),
  );

function write(op: WriterOp, stamp: number): Promise<OpOutcome> {
  // The load happens inside the call, before the mutator: the window starts at the call.
  const calledAt = sharedClockMs();
  const mutator = (data: Record<string, any>) => applyWriterOp(data, op, stamp);
  const written = store!.updateSessionStore(init.storePath, mutator, { allowDropAcpMetaSessionKeys: allowedAcpDrops(op) });
  if (!init.timestamps) return outcomeOf(written);
  return written.then(
    (): OpOutcome => ({ status: "ok", value: { calledAt, settledAt: sharedClockMs() } }),
    (error: unknown): OpOutcome => ({ status: "error", error: toErrorInfo(error) }),
  );
}

/** The outcomes of the step's writers or reader, or `paused` when a writer holds at its checkpoint. */
async function runStep(id: number, step: GatewayStep, stamp: number): Promise<OpOutcome[] | "paused"> {
  switch (step.op) {
    case "read":
      try {
        return [{ status: "ok", value: store!.loadSessionStore(init.storePath, { skipCache: step.skipCache }) }];
      } catch (error) {
        return [{ status: "error", error: toErrorInfo(error) }];
      }
    case "resume": {
      const held = pause;
      if (!held?.resume || !pausedWriter) {
        return [{ status: "error", error: { name: "HarnessError", message: "no writer is paused on this gateway" } }];
      }
      pause = undefined;
      // A store that re-checks the file before its rename signals during the resume.
      tripwireStepId = id;
      held.resume(coarseSecond);
      const outcome = await pausedWriter;
      pausedWriter = undefined;
      return [outcome];
    }
    case "batch":
      tripwireStepId = id;
      return Promise.all(step.ops.map((op, index) => write(op, stamp * 100 + index)));
    case "restart":
      throw new Error("restart is the parent's job: it kills this process");
    default: {
      tripwireStepId = id;
      const { actor: _actor, pause: at, ...op } = step;
      if (!at) return [await write(op as WriterOp, stamp)];
      const reached = new Promise<"paused">((resolve) => {
        pause = { id, at, reached: () => resolve("paused") };
      });
      pausedWriter = write(op as WriterOp, stamp);
      const first = await Promise.race([reached, pausedWriter]);
      if (first !== "paused") {
        // The writer ended before its checkpoint (e.g. an unparseable store): nothing is held.
        pause = undefined;
        pausedWriter = undefined;
        return [first];
      }
      return "paused";
    }
  }
}

async function handle(command: ActorCommand, receivedAt: number): Promise<void> {
  switch (command.type) {
    case "init":
      return setUp(command);
    case "run": {
      coarseSecond = command.coarseSecond;
      unanswered = { id: command.id, payloads: [] };
      const result = await runStep(command.id, command.step as GatewayStep, command.stamp);
      const tripwires = unanswered.payloads;
      unanswered = undefined;
      const timing = { receivedAt, repliedAt: sharedClockMs() };
      if (result === "paused") await send({ type: "paused", id: command.id, checkpoint: pause!.at, tripwires, timing });
      else await send({ type: "done", id: command.id, outcomes: result, tripwires, timing });
    }
  }
}

void serve(handle);
