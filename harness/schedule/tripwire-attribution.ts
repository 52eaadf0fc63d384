import type { OperationRecord, TimeWindow, UnattributedTripwire } from "../history/types.js";
import type { ActorProcess } from "../pool/actor-process.js";
import type { ClockWindow } from "../protocol.js";

/**
 * Gives every payload that reached the parent after its step's reply to the record of the step
 * whose writer emitted it, or, when no step of this run has that id on that process, lists it as
 * unattributed: no payload is dropped. A record is never changed once noted (it may have been
 * handed out already): the late payloads are added to a copy when the run ends (`withLate`).
 */
export class TripwireAttribution {
  private readonly records = new Map<ActorProcess, Map<number, OperationRecord>>();
  private readonly late = new Map<OperationRecord, unknown[]>();
  readonly unattributed: UnattributedTripwire[] = [];

  /** The step `id` of `process` is recorded as `record`. */
  note(process: ActorProcess, id: number, record: OperationRecord): void {
    const byId = this.records.get(process) ?? new Map<number, OperationRecord>();
    byId.set(id, record);
    this.records.set(process, byId);
  }

  /** Takes the late payloads `process` has received so far (before it is killed, and at the end). */
  collect(process: ActorProcess, actor: string): void {
    for (const { id, payload } of process.takeLateTripwires()) {
      const record = this.records.get(process)?.get(id);
      if (record) this.late.set(record, [...(this.late.get(record) ?? []), payload]);
      else this.unattributed.push({ actor, pid: process.pid, payload });
    }
  }

  /** The record as the run ends: its own payloads, then those that reached the parent after its reply. */
  withLate<T extends OperationRecord>(record: T): T {
    const late = this.late.get(record);
    return late ? { ...record, tripwires: [...record.tripwires, ...late] } : record;
  }
}

/** The actor's windows on the run's clock: ms since `t0` (a `sharedClockMs` reading). */
export const windowsSince = (t0: number, windows: readonly ClockWindow[]): TimeWindow[] =>
  windows.map(({ from, to }) => ({ from: round(from - t0), to: round(to - t0) }));

/** Times in a history keep µs: finer than that is noise between processes. */
export const round = (ms: number): number => Math.round(ms * 1000) / 1000;
