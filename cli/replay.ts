import { replay as replayScenarios, type ReplayedScenario } from "../api/replay.js";
import type { StoreOptions } from "./store-option.js";

const say = (line = "") => process.stdout.write(`${line}\n`);

/**
 * Replays scenario files: each expectation on the store it names (`under-test` is `--store`),
 * the timeline and a verdict per property; exit 0 all as expected, 1 not (bad usage throws).
 */
export async function replay(files: string[], opts: StoreOptions): Promise<number> {
  const result = await replayScenarios(files, {
    ...opts,
    onScenario: (replayed) => scenarioLines(replayed).forEach((line) => say(line)),
  });
  const failures = result.scenarios.filter((scenario) => !scenario.ok).length;
  say(`${result.scenarios.length - failures} of ${result.scenarios.length} scenario(s) came out as expected`);
  return result.exitCode;
}

function scenarioLines({ ok, file, scenario, timelines, verdicts }: ReplayedScenario): string[] {
  return [
    `${ok ? "✓" : "✗"} ${file}: ${scenario.name}${scenario.reference ? ` [${scenario.reference}]` : ""}`,
    ...(scenario.story ? [`    ${scenario.story}`] : []),
    ...timelines.flatMap(({ store, timeline }) => [
      `    on ${store}:`,
      ...timeline.split("\n").map((line) => `      ${line}`),
    ]),
    ...verdicts.map(
      (verdict) =>
        `    ${verdict.ok ? "ok" : "UNEXPECTED"}: ${verdict.store}: ${verdict.property} ${verdict.held ? "held" : "failed"} (expected: ${verdict.expected})`,
    ),
  ];
}
