import { isRunnable, verdictSignature, type ScenarioVerdict } from "./scenario-verdict.js";

/** One release bisect tried: its verdict, and what that said about where the change is. */
export type BisectStep = {
  version: string;
  verdict: ScenarioVerdict;
  signature: string;
  conclusion: "baseline" | "same" | "differs" | "skipped";
};

export type BisectResult =
  /** `first` is the first release whose verdict differs from the first release's; `skipped` lie between it and the last release with the old verdict. */
  | { kind: "found"; first: string; lastSame: string; skipped: string[]; steps: BisectStep[] }
  | { kind: "never-changes"; steps: BisectStep[] }
  | { kind: "baseline-absent"; reason: string; steps: BisectStep[] };

/**
 * The first release whose verdict differs from `versions[0]`'s, in about log2(n) judgements,
 * assuming the verdict changes once in the range (as git bisect assumes of good and bad). A
 * release that cannot be run is skipped, like `git bisect skip`: the answer then names the
 * first runnable release with the new verdict, and `skipped` the unrunnable ones that may hold
 * the change instead.
 */
export async function bisectReleases(
  versions: readonly string[],
  judge: (version: string) => Promise<ScenarioVerdict>,
  onStep: (step: BisectStep) => void = () => undefined,
): Promise<BisectResult> {
  const steps: BisectStep[] = [];
  const known = new Map<number, "same" | "differs" | "skipped">();
  let baseline = "";
  const visit = async (index: number, conclusion?: "baseline"): Promise<"same" | "differs" | "skipped"> => {
    const version = versions[index]!;
    const verdict = await judge(version);
    const signature = verdictSignature(verdict);
    const seen: BisectStep["conclusion"] =
      conclusion ?? (!isRunnable(verdict) ? "skipped" : signature === baseline ? "same" : "differs");
    const step = { version, verdict, signature, conclusion: seen };
    steps.push(step);
    onStep(step);
    const result = seen === "baseline" ? "same" : seen;
    known.set(index, result);
    return result;
  };

  const first = await judge(versions[0]!);
  baseline = verdictSignature(first);
  const firstStep: BisectStep = { version: versions[0]!, verdict: first, signature: baseline, conclusion: "baseline" };
  steps.push(firstStep);
  onStep(firstStep);
  if (!isRunnable(first))
    return { kind: "baseline-absent", reason: first.kind === "absent" ? first.reason : baseline, steps };
  known.set(0, "same");

  // The last release decides whether there is a change at all; if it cannot be run, the nearest one before it that can.
  let hi = versions.length - 1;
  while (hi > 0 && (await visit(hi)) === "skipped") hi--;
  if (hi === 0 || known.get(hi) === "same") return { kind: "never-changes", steps };

  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    // Skipped: try the untried releases nearest the middle, alternating sides, until one runs.
    const order = [...Array(hi - lo - 1).keys()]
      .map((i) => lo + 1 + i)
      .sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
    let decided = false;
    for (const candidate of order) {
      if (known.has(candidate)) continue;
      const result = await visit(candidate);
      if (result === "skipped") continue;
      if (result === "same") lo = candidate;
      else hi = candidate;
      decided = true;
      break;
    }
    if (!decided) break;
  }
  const skipped = versions.slice(lo + 1, hi).filter((_, i) => known.get(lo + 1 + i) === "skipped");
  return { kind: "found", first: versions[hi]!, lastSame: versions[lo]!, skipped, steps };
}
