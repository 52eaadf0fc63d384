/**
 * `npm run soak -- --times K`: runs the whole test suite K times and reports any run whose
 * verdicts differ from the first, and any process or temp directory a run left behind. Flaky
 * tests are bugs: this is how they are found, not retried.
 */
import { execa } from "execa";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../harness/paths.js";

const args = process.argv.slice(2);
const timesArg = args.includes("--times") ? Number(args[args.indexOf("--times") + 1]) : 10;
if (!Number.isInteger(timesArg) || timesArg < 2) {
  process.stderr.write("soak: --times must be a whole number of at least 2\n");
  process.exit(2);
}

type Verdicts = Map<string, string>;
const ours = (name: string) => /^drift-(run|stress|probe|cli-test|shard-test|bench)/.test(name);

async function suiteOnce(
  round: number,
): Promise<{ verdicts: Verdicts; failures: Map<string, string>; seconds: number; leftovers: string[] }> {
  const report = join(tmpdir(), `drift-soak-${process.pid}-${round}.json`);
  const started = Date.now();
  await execa("npx", ["vitest", "run", "--reporter=json", `--outputFile=${report}`], {
    cwd: projectRoot,
    reject: false,
    stdio: "ignore",
  });
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    testResults: { assertionResults: { fullName: string; status: string; failureMessages?: string[] }[] }[];
  };
  rmSync(report, { force: true });
  const verdicts: Verdicts = new Map();
  // A flaky failure is a bug to find: keep what it said.
  const failures = new Map<string, string>();
  for (const file of json.testResults) {
    for (const test of file.assertionResults) {
      verdicts.set(test.fullName, test.status);
      const message = test.failureMessages?.[0];
      if (message) failures.set(test.fullName, message.split("\n").slice(0, 12).join("\n    "));
    }
  }
  const { stdout } = await execa("ps", ["-eo", "pid,cmd"], { reject: false });
  const processes = stdout
    .split("\n")
    .filter((line) => line.includes("dist/harness/actors/"))
    .map((line) => `process: ${line.trim()}`);
  const dirs = readdirSync(tmpdir())
    .filter(ours)
    .map((name) => `temp: ${name}`);
  return { verdicts, failures, seconds: (Date.now() - started) / 1000, leftovers: [...processes, ...dirs] };
}

await execa("npm", ["run", "build"], { cwd: projectRoot, stdio: "inherit" });
const rounds: Awaited<ReturnType<typeof suiteOnce>>[] = [];
let problems = 0;
for (let round = 1; round <= timesArg; round++) {
  const result = await suiteOnce(round);
  rounds.push(result);
  const passed = [...result.verdicts.values()].filter((status) => status === "passed").length;
  const failed = [...result.verdicts.values()].filter((status) => status === "failed").length;
  const first = rounds[0]!.verdicts;
  const differing = [...new Set([...first.keys(), ...result.verdicts.keys()])].filter(
    (name) => first.get(name) !== result.verdicts.get(name),
  );
  process.stdout.write(
    `run ${round}: ${passed} passed, ${failed} failed, ${result.seconds.toFixed(0)} s${differing.length ? `, ${differing.length} verdict(s) differ from run 1` : ""}${result.leftovers.length ? `, ${result.leftovers.length} leftover(s)` : ""}\n`,
  );
  for (const name of differing)
    process.stdout.write(`  differs: ${name}: ${first.get(name)} -> ${result.verdicts.get(name)}\n`);
  for (const [name, message] of result.failures) process.stdout.write(`  failed: ${name}\n    ${message}\n`);
  for (const leftover of result.leftovers) process.stdout.write(`  left behind: ${leftover}\n`);
  if (differing.length > 0 || result.leftovers.length > 0 || failed > 0) problems++;
}
process.stdout.write(
  problems === 0
    ? `${timesArg} runs, identical verdicts, nothing left behind\n`
    : `${problems} of ${timesArg} runs differ, failed or left something behind\n`,
);
process.exit(problems === 0 ? 0 : 1);
