import type { FileStat } from "../freshness/stat.js";
import { statFile } from "../freshness/stat.js";
import type { ChangeSignal } from "../tripwire/tripwire.js";

/**
 * What a writer saw of the file when it loaded: the stat taken before reading, and the text its
 * store came from (`null`: the file was missing).
 */
export type Seen = { stat: FileStat; text: string | null };

export type CommitContext = {
  storePath: string;
  seen: Seen;
  /** The writer's temp file, fully written, and its text. */
  temp: { path: string; text: string };
  /** Renames the temp over the store. */
  rename: () => Promise<void>;
};

/**
 * How a commit ended: the temp `landed` (with the stat right after the rename and the text it
 * put there), or the file `changed` since the load and nothing was renamed: the writer signals
 * the change and, while the part allows, runs its mutator again on the file as it is now.
 */
export type CommitOutcome =
  | { kind: "landed"; stat: FileStat; text: string }
  | { kind: "changed"; signal: Extract<ChangeSignal, { reason: "changed_before_rename" }> };

/**
 * The commit part: the last step of a write, after the `before-rename` checkpoint. It renames
 * the temp over the store, or says the file changed. A failure (an error thrown) fails the write;
 * the temp is removed either way when it was not renamed.
 */
export type CommitPart = {
  commit: (ctx: CommitContext) => Promise<CommitOutcome>;
  /** How many times in a row a writer may be told `changed` before it gives the write up. */
  maxAttempts: number;
};

/** The contract's commit: rename at once, whatever happened to the file since the load. */
export const renameAtOnce: CommitPart = {
  commit: async ({ storePath, temp, rename }) => {
    await rename();
    return { kind: "landed", stat: statFile(storePath), text: temp.text };
  },
  maxAttempts: 1,
};
