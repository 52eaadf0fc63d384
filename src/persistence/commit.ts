import type { FileStat, PresentStat } from "../freshness/stat.js";
import type { ChangeSignal } from "../tripwire/tripwire.js";

/**
 * What a writer saw of the file when it loaded: the stat taken before reading, and the text its
 * store came from (`null`: the file was missing; absent: the persistence part cannot say).
 */
export type Seen = { stat: FileStat; text?: string | null };

export type CommitContext = {
  storePath: string;
  seen: Seen;
  /** The writer's temp file, fully written, and its text. */
  temp: { path: string; text: string };
  /** Renames the temp over the store. */
  rename: () => Promise<void>;
};

/** What a commit part saw land: the stat right after the rename and the text it put there. */
export type Committed = { stat: PresentStat; text: string };

/**
 * The commit part: the last step of a write, after the `before-rename` checkpoint. It renames
 * the temp over the store, or throws FileChangedBeforeRename to have the writer re-apply its
 * mutation to the file as it is now. Any other error fails the write (the temp is removed).
 */
export type CommitPart = (ctx: CommitContext) => Promise<Committed | void>;

/** The contract's commit: rename at once, whatever happened to the file since the load. */
export const renameAtOnce: CommitPart = ({ rename }) => rename();

/** The file changed between the writer's load and its rename; the writer re-applies its mutation. */
export class FileChangedBeforeRename extends Error {
  override readonly name = "FileChangedBeforeRename";
  constructor(
    readonly storePath: string,
    readonly signal: Extract<ChangeSignal, { reason: "changed_before_rename" }>,
  ) {
    super(`session store ${storePath} changed between the writer's load and its rename`);
  }
}
