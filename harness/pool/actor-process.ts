import { setTimeout as delay } from "node:timers/promises";
import { execaNode, type ResultPromise } from "execa";
import { actorScript } from "../paths.js";
import {
  sharedClockMs,
  type ActorCommand,
  type ActorEvent,
  type ActorInit,
  type Capabilities,
  type ActorVersions,
  type ClockWindow,
  type OpOutcome,
} from "../protocol.js";
import type { CheckpointName, ExternalStep, GatewayStep } from "../schedule/schema.js";

export type Role = "gateway" | "external";

/** A step's answer; `id` names the step in later payloads (see `takeLateTripwires`). */
export type StepReply =
  | {
      kind: "done";
      id: number;
      outcomes: OpOutcome[];
      windows: ClockWindow[];
      versions: ActorVersions;
      tripwires: unknown[];
    }
  | { kind: "paused"; id: number; checkpoint: CheckpointName; tripwires: unknown[] }
  | {
      kind: "blocked";
      id: number;
      lock: string;
      outcomes: (OpOutcome | null)[];
      windows: ClockWindow[];
      versions: ActorVersions;
      tripwires: unknown[];
    };

/** A payload that reached the parent after the reply of the step (`id`) whose writer emitted it. */
export type LateTripwire = { id: number; payload: unknown };

/**
 * One step's round trip on the shared clock (ms): the parent sent it, the actor got it and
 * answered, the parent had the answer. Collected only while `deliveryTrace.samples` is set
 * (by the benchmark), to say where a step's time goes.
 */
export type DeliverySample = {
  role: Role;
  op: string;
  sentAt: number;
  receivedAt: number;
  repliedAt: number;
  answeredAt: number;
};
export const deliveryTrace: { samples: DeliverySample[] | null } = { samples: null };

/** The harness lost an actor: it died, timed out or refused to start. */
export class ActorError extends Error {
  override readonly name = "ActorError";
}

// execa starts, watches and cleans up the process; the messages go over Node's own channel (see
// channel.ts). buffer.ipc false: a warm actor answers thousands of steps; execa would keep them all.
// fd 3 is the hold pipe (hold-pipe.ts), used only while a gateway is held in a synchronous call.
const spawnOptions = {
  ipc: true,
  buffer: { ipc: false, fd3: false },
  reject: false,
  cleanup: true,
  stdio: ["ignore", "ignore", "pipe", "pipe"],
} as const;
type Child = ResultPromise<typeof spawnOptions>;

/**
 * How long `init` may take at least: it waits for the store module's import (a release's
 * bundle, imported while the machine may be busy), which is no step of any property.
 */
export const INIT_TIMEOUT_FLOOR_MS = 120_000;

type Waiter = { resolve: (event: ActorEvent) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * One real child process playing a role, driven over its IPC channel: one request at a time,
 * tripwire payloads collected for the step that caused them.
 */
export class ActorProcess {
  private waiter: Waiter | undefined;
  private readonly tripwires = new Map<number, unknown[]>();
  private exitReason: string | undefined;
  private nextId = 0;
  private readonly exited: Promise<void>;
  /** Held inside a synchronous file call: it cannot read its IPC channel, commands go over the hold pipe. */
  private heldSync = false;
  /** It has answered an init: it imported the store module, and `capabilities` are its. */
  private ready = false;
  /** The run's init, sent with the next step (see `init`). */
  private pendingInit: ActorInit | undefined;
  capabilities: Capabilities = { checkpoints: "none", knownLimitations: null };

  private constructor(
    readonly role: Role,
    private readonly child: Child,
    readonly timeoutMs: number,
  ) {
    this.listen();
    this.exited = this.child.then((result) =>
      this.onExit(
        `exited (code ${result.exitCode ?? "none"}, signal ${result.signal ?? "none"}) ${tail(result.stderr)}`,
      ),
    );
  }

  static start(role: Role, opts: { nodePath?: string; timeoutMs: number; storeModule?: string }): ActorProcess {
    const child = execaNode(actorScript(role), opts.storeModule ? [opts.storeModule] : [], {
      ...spawnOptions,
      nodePath: opts.nodePath ?? process.execPath,
      // Not the parent's flags: under `node -e` they hold the parent's own script, which the
      // child would run instead of the actor; under a test runner, its loader.
      nodeOptions: [],
      env: { SESSION_STORE_LOG_LEVEL: process.env.SESSION_STORE_LOG_LEVEL ?? "warn" },
    });
    return new ActorProcess(role, child as unknown as Child, opts.timeoutMs);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True while it holds a writer inside a synchronous file call (its commands then go over the hold pipe). */
  get heldInSyncCall(): boolean {
    return this.heldSync;
  }

  get alive(): boolean {
    return this.exitReason === undefined;
  }

  /**
   * Sets the process up for a run. The first init is a round trip: it waits for the store
   * module's import and learns the capabilities. A process that has answered one (a warm one,
   * back from an earlier run) gets the next with its first step of the run instead: the
   * capabilities are the module's, already known, and the reset costs no round trip of its own.
   */
  async init(init: ActorInit): Promise<Capabilities> {
    if (this.ready) {
      this.pendingInit = init;
      return this.capabilities;
    }
    // The first init waits for the store module's import: a release whose writer sits in a 6 MB
    // chunk (2026.3.7 to 2026.3.13) loads for tens of seconds on a busy machine.
    const event = await this.request(init, "init", Math.max(this.timeoutMs, INIT_TIMEOUT_FLOOR_MS));
    if (event.type === "init-failed")
      throw new ActorError(`${this.role} ${this.pid} could not start: ${event.error.message}`);
    if (event.type !== "ready") throw new ActorError(`${this.role} ${this.pid} answered ${event.type} to init`);
    this.capabilities = event.capabilities;
    this.ready = true;
    return event.capabilities;
  }

  async run(
    step: GatewayStep | ExternalStep,
    stamp: number,
    coarseSecond: number | null,
    lockLeftBehind = false,
  ): Promise<StepReply> {
    const id = this.nextId++;
    const init = this.pendingInit;
    this.pendingInit = undefined;
    const sentAt = sharedClockMs();
    const event = await this.request(
      {
        type: "run",
        id,
        step,
        stamp,
        coarseSecond,
        ...(lockLeftBehind ? { lockLeftBehind } : {}),
        ...(init ? { init } : {}),
      },
      `${step.actor} ${step.op}`,
    );
    if (event.type === "init-failed")
      throw new ActorError(`${this.role} ${this.pid} could not be reset for the run: ${event.error.message}`);
    const answered = event.type === "done" || event.type === "paused" || event.type === "blocked";
    if (deliveryTrace.samples && answered && event.timing) {
      deliveryTrace.samples.push({
        role: this.role,
        op: step.op,
        sentAt,
        ...event.timing,
        answeredAt: sharedClockMs(),
      });
    }
    const tripwires = [...(this.tripwires.get(id) ?? []), ...(answered ? (event.tripwires ?? []) : [])];
    this.tripwires.delete(id);
    if (event.type === "done" || event.type === "blocked") {
      const ran = { id, windows: event.windows, versions: event.versions ?? [], tripwires };
      return event.type === "done"
        ? { kind: "done", outcomes: event.outcomes, ...ran }
        : { kind: "blocked", lock: event.lock, outcomes: event.outcomes, ...ran };
    }
    if (event.type === "paused") {
      this.heldSync = event.hold === "sync";
      return { kind: "paused", id, checkpoint: event.checkpoint, tripwires };
    }
    throw new ActorError(`${this.role} ${this.pid} answered ${event.type} to a step`);
  }

  /**
   * Payloads that arrived for steps already answered, oldest first, each with its step's id;
   * taking them empties the list. Whoever recorded those steps attributes them.
   */
  takeLateTripwires(): LateTripwire[] {
    const late = [...this.tripwires].flatMap(([id, payloads]) => payloads.map((payload) => ({ id, payload })));
    this.tripwires.clear();
    return late;
  }

  /**
   * After a run, lets a gateway's held writer go on (a `resume` no history records) and waits
   * for it to settle, so the process can serve the next run instead of being replaced. The
   * writer lands in the finished run's directory; its payloads are dropped with it. False when
   * it does not settle within `limitMs` or the process is lost: then it must be killed.
   */
  async releaseHeldWriter(actor: string, limitMs: number): Promise<boolean> {
    try {
      const event = await this.request(
        { type: "run", id: this.nextId++, step: { actor, op: "resume" }, stamp: 0, coarseSecond: null },
        `${actor} resume (after the run)`,
        limitMs,
      );
      return event.type === "done";
    } catch {
      return false;
    } finally {
      this.tripwires.clear();
    }
  }

  /** SIGKILL, and wait until the process is really gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill("SIGKILL");
    await this.child.catch(() => undefined);
  }

  private request(command: ActorCommand, what: string, timeoutMs = this.timeoutMs): Promise<ActorEvent> {
    if (!this.alive) return Promise.reject(new ActorError(`${this.role} ${this.pid} ${this.exitReason}`));
    if (this.waiter) return Promise.reject(new ActorError(`${this.role} ${this.pid} is busy`));
    return new Promise<ActorEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new ActorError(`${this.role} ${this.pid} did not answer "${what}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
      const refused = async (error: Error) => {
        // A dying process refuses messages: report how it ended (onExit does), not Node's words.
        const ended = await Promise.race([this.exited.then(() => true), delay(1000, false, { ref: false })]);
        if (!ended) this.fail(new ActorError(`${this.role} ${this.pid} could not be sent "${what}": ${error.message}`));
      };
      if (this.heldSync) {
        // The resume releases the hold; its reply comes over IPC once the writer settles.
        if (command.type === "run" && command.step.op === "resume") this.heldSync = false;
        this.holdPipe().write(`${JSON.stringify(command)}\n`, (error) => {
          if (error) void refused(error);
        });
        return;
      }
      // Node throws at once when the channel is already closed, and calls back with any later error.
      try {
        this.child.send(command, (error) => {
          if (error) void refused(error);
        });
      } catch (error) {
        void refused(error as Error);
      }
    });
  }

  private holdPipe(): NodeJS.ReadWriteStream {
    return this.child.stdio[3] as unknown as NodeJS.ReadWriteStream;
  }

  private listen(): void {
    // The channel closes when the process exits; onExit reports it.
    this.child.on("message", (message) => this.receive(message as ActorEvent));
    let pending = "";
    this.holdPipe().setEncoding("utf8");
    this.holdPipe().on("data", (chunk: string) => {
      pending += chunk;
      for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n")) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        this.receive(JSON.parse(line) as ActorEvent);
      }
    });
    // A write to a process that has just died fails here; onExit reports how it ended.
    this.holdPipe().on("error", () => undefined);
  }

  private receive(event: ActorEvent): void {
    if (event.type === "tripwire") {
      const list = this.tripwires.get(event.id) ?? [];
      list.push(event.payload);
      this.tripwires.set(event.id, list);
      return;
    }
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(event);
    }
  }

  private onExit(reason: string): void {
    this.exitReason = reason;
    this.fail(new ActorError(`${this.role} ${this.pid} ${reason}`));
  }

  private fail(error: Error): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }
}

const tail = (text: unknown): string =>
  typeof text === "string" && text ? `: ${text.trim().split("\n").slice(-3).join(" | ")}` : "";
