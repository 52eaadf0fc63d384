import { existsSync } from "node:fs";

/** The flags a headless Chromium needs on these machines: as root, with no network but loopback. */
const HEADLESS_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where Debian's `chromium` package puts the browser. */
export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

export type Browser = { executablePath: string; args: string[]; source: "system" | "npm" };

/**
 * The Chromium the browser tests drive: the system's when it is installed, otherwise the one
 * `@sparticuz/chromium` (a dev dependency) ships inside its package, unpacked on first use. So
 * `npm test` needs nothing but Node and npm. Throws, saying what to install, when neither is usable.
 */
export async function findChromium(): Promise<Browser> {
  const forced = process.env.DRIFT_CHROMIUM;
  if (forced) {
    if (!existsSync(forced)) throw new Error(`DRIFT_CHROMIUM=${forced} does not exist`);
    return { executablePath: forced, args: HEADLESS_ARGS, source: "system" };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: HEADLESS_ARGS, source: "system" };
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `no Chromium at ${SYSTEM_CHROMIUM}, and @sparticuz/chromium only ships one for Linux x64 (this is ${process.platform} ${process.arch}): install Chromium or set DRIFT_CHROMIUM to its path`,
    );
  }
  const { default: packaged } = await import("@sparticuz/chromium");
  // Its own flags include --single-process and --no-zygote, which it needs outside a sandbox.
  const args = [...new Set([...packaged.args.filter((flag) => !flag.startsWith("--headless")), ...HEADLESS_ARGS])];
  return { executablePath: await packaged.executablePath(), args, source: "npm" };
}
