import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import type { StoreFiles } from "../protocol.js";
import type { FileSnapshot } from "./types.js";

/**
 * The parent's look at a store kept in databases (`StoreFiles`), between steps, as
 * `snapshotFile` is for a JSON file. The parent's Node may lack `node:sqlite`, so a warm child
 * on the store's Node (`files.reader`) reads the databases read-only; one round trip per look.
 */
export class SqliteSnapshotReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  private exited: string | undefined;

  constructor(
    nodePath: string,
    private readonly files: StoreFiles,
  ) {
    this.child = spawn(nodePath, ["--no-warnings", files.reader], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.resume();
    createInterface({ input: this.child.stdout }).on("line", (line) => this.waiting.shift()?.(line));
    this.child.on("exit", (code, signal) => {
      this.exited = `the snapshot reader ${files.reader} exited (${signal ?? code})`;
      for (const answer of this.waiting.splice(0)) answer(JSON.stringify({ failed: this.exited }));
    });
  }

  read(storePath: string): Promise<FileSnapshot> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const answer = JSON.parse(line) as FileSnapshot & { failed?: string; error?: string };
        if (answer.failed) reject(new Error(`cannot look at the store beside ${storePath}: ${answer.failed}`));
        else {
          const { error: _error, ...snapshot } = answer;
          resolve(snapshot);
        }
      });
      this.child.stdin.write(
        `${JSON.stringify({ dir: dirname(storePath), database: this.files.database, acpDatabase: this.files.acpDatabase })}\n`,
      );
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async close(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const gone = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGKILL");
    await gone;
  }
}
