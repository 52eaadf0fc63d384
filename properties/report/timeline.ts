import { InodeLabels } from "../../harness/history/inode-labels.js";
import type { StepLockedHistory, StepRecord } from "../../harness/history/types.js";
import type { ShownViolation as Violation } from "../checks/violation.js";
import { describeEnding, describeStep } from "./describe-step.js";

const WIDTH = 34;

/**
 * A text timeline, one lane per process (gateways, externals, the clock): each step in its
 * actor's lane with how it ended, its tripwires, the file's stat and hash afterwards, and the
 * violations marked where they happened.
 */
export function renderTimeline(history: StepLockedHistory, violations: Violation[] = []): string {
  const lanes = actorsOf(history);
  const head = `step  ${lanes.map((lane) => lane.padEnd(WIDTH)).join("")}file after (mtime/size/ino#hash)`;
  const inodes = new InodeLabels();
  inodes.observe(history.initial.stat);
  const rows = history.steps.flatMap((record) => {
    const cell = fit(describeStep(record.step), ` → ${describeEnding(record)}`);
    const line = `${String(record.index).padStart(4)}  ${lanes.map((lane) => (lane === record.step.actor ? cell : "".padEnd(WIDTH))).join("")}${fileState(record, inodes)}`;
    const extra = [
      ...record.tripwires.map((payload) => `      ⚡ tripwire ${JSON.stringify(payload)}`),
      ...violations.filter((v) => v.step === record.index).map((v) => `      ✗ ${v.message}`),
      ...violations.filter((v) => v.lostWrite?.droppedAt === record.index).map((v) => `      ✗ ${droppedHere(v)}`),
    ];
    return [line, ...extra];
  });
  const tail = [
    ...(history.leftovers.length > 0 ? [`      leftovers: ${history.leftovers.join(", ")}`] : []),
    ...violations.filter((v) => v.step >= history.steps.length || v.step < 0).map((v) => `      ✗ ${v.message}`),
  ];
  return [head, ...rows, ...tail].join("\n");
}

/** Where a lost write's version was written: the other end of the lost-write mark. */
export function droppedHere(v: Violation): string {
  const mark = v.lostWrite!;
  return `dropped here: version ${mark.version.slice(0, 8)} (from base ${mark.base?.slice(0, 8) ?? "unknown"}) lost step ${v.step}'s write (${v.actor})`;
}

export function actorsOf(history: StepLockedHistory): string[] {
  const { gateways, externals, coarseClock } = history.schedule.options;
  return [
    ...Array.from({ length: gateways }, (_, i) => `g${i}`),
    ...Array.from({ length: externals }, (_, i) => `x${i}`),
    ...(coarseClock ? ["clock"] : []),
  ];
}

function fileState(record: StepRecord, inodes: InodeLabels): string {
  const stat = record.after.stat;
  const inode = inodes.observe(stat);
  if (stat.kind === "missing") return "missing";
  const content = record.after.content.kind === "unparseable" ? " UNPARSEABLE" : "";
  return `${stat.mtimeMs.toFixed(3)}/${stat.size}/${inode}#${record.after.hash?.slice(0, 8)}${content}`;
}

/**
 * A lane's cell: the step and how it ended. A long step is cut, never its ending (which says
 * what happened); an ending longer than the lane overflows it rather than lose a word.
 */
function fit(step: string, ending: string): string {
  const room = WIDTH - 1 - ending.length;
  const shown = step.length <= room ? step : `${step.slice(0, Math.max(room - 1, 0))}…`;
  return `${`${shown}${ending}`.padEnd(WIDTH - 1)} `;
}
