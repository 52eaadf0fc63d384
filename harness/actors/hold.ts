import type { ActorCommand } from "../protocol.js";
import type { CheckpointName } from "../schedule/schema.js";
import { readCommandSync, sendSync } from "./hold-pipe.js";

/** A step's writer to be held at a checkpoint, from the step that asks for it to its resume. */
export type Pause = {
  id: number;
  at: CheckpointName;
  /** Mutators run when the step began: a SQLite COMMIT holds only once this write's mutator ran. */
  mutatorsBefore?: number;
  reached: () => void;
  resume?: (coarseSecond: number | null) => void;
};

/**
 * The gateway's hold mechanics and their state, in one object: the running step's pause, the
 * held writer's settling, and the steps a synchronous hold answered itself. A writer is held
 * either on the event loop (`holdAsync`: the step is answered `paused` on the IPC channel) or
 * with the main thread blocked inside a synchronous call (`holdSync`: the hold pipe carries
 * the parent's commands until the resume).
 */
export class Holds<Settled> {
  pause: Pause | undefined;
  /** The held writer, settling once resumed. */
  writer: Promise<Settled> | undefined;
  /** Steps a synchronous hold answered from inside the blocked call: their handler must not answer again. */
  readonly answeredWhileHeld = new Set<number>();

  /** Called with the coarse second a resume carries, before the held writer goes on. */
  constructor(private readonly onResume: (coarseSecond: number | null) => void) {}

  /** The pause of the running step if it waits for this checkpoint and has not been reached. */
  pendingAt(checkpoint: CheckpointName): Pause | undefined {
    const pause = this.pause;
    return pause && pause.at === checkpoint && !pause.resume ? pause : undefined;
  }

  /** Forgets any pause and held writer: a new run, or a writer that ended before its checkpoint. */
  clear(): void {
    this.pause = undefined;
    this.writer = undefined;
  }

  /** Holds on the event loop: the step is answered `paused`, and a `resume` step settles this. */
  holdAsync(held: Pause): Promise<void> {
    return new Promise<void>((resolve) => {
      held.resume = (second) => {
        this.onResume(second);
        resolve();
      };
      held.reached();
    });
  }

  /**
   * Holds with the main thread blocked, inside a synchronous call: answers the step `paused` on
   * the hold pipe (with the payloads it has collected so far), then hands each of the parent's
   * commands to `serve` until a `resume` releases the writer. `serve` runs a resume (which
   * releases it before it awaits the writer) or a read, and exits the process on anything else.
   */
  holdSync(held: Pause, tripwires: unknown[], serve: (command: ActorCommand) => void): void {
    let released = false;
    held.resume = (second) => {
      this.onResume(second);
      released = true;
    };
    held.reached();
    this.answeredWhileHeld.add(held.id);
    sendSync({ type: "paused", id: held.id, checkpoint: held.at, tripwires, hold: "sync" });
    while (!released) serve(readCommandSync());
  }
}
