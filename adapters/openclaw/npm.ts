import { execa } from "execa";
import { ReleaseError } from "./release-error.js";

/** The npm client, quiet: no update notice, audit or funding lines. */
export async function npm(args: string[], cwd: string): Promise<string> {
  const result = await execa("npm", [...args, "--no-audit", "--no-fund", "--no-update-notifier"], {
    cwd,
    reject: false,
    stdin: "ignore",
  });
  if (result.exitCode === 0) return result.stdout;
  const output = `${result.stderr}\n${result.stdout}`;
  const firstError =
    output
      .split("\n")
      .find((line) => /npm (error|ERR!) (?!code)/.test(line))
      ?.replace(/^npm (error|ERR!)\s*/, "") ??
    output.trim().split("\n")[0] ??
    "";
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network/i.test(output)) {
    throw new ReleaseError("offline", `the npm registry cannot be reached (${firstError.trim()})`);
  }
  if (/\bE404\b|\bETARGET\b/.test(output))
    throw new ReleaseError("missing", firstError.replace(/^notarget\s*/, "").trim());
  throw new ReleaseError("install-failed", `npm ${args.join(" ")} failed: ${firstError.trim()}`);
}
