/** The store file's shapes and the names the contract gives to writer checkpoints and limitations. */

/** An ACP binding: opaque JSON, e.g. `{ "backend": "acpx", "agent": "codex", "state": "bound" }`. */
export type AcpMeta = Record<string, unknown>;

/** One session. `sessionId` and `updatedAt` are required; every other field is free. */
export type SessionEntry = {
  sessionId: string;
  updatedAt: number;
  acp?: AcpMeta;
  [field: string]: unknown;
};

/** The whole store file: session key -> entry. */
export type Store = Record<string, SessionEntry>;

/** Where a writer can be held by the test seam. */
export type Checkpoint = "after-load" | "before-rename";

export type CheckpointHook = (checkpoint: Checkpoint, storePath: string) => void | Promise<void>;

/** The known limitations of the seed design, by contract id. */
export const LIMITATION_IDS = ["mid-flight-drift", "empty-cache-bypass", "coarse-mtime"] as const;
export type LimitationId = (typeof LIMITATION_IDS)[number];

export type UpdateOptions = { allowDropAcpMetaSessionKeys?: string[] };
export type LoadOptions = { skipCache?: boolean };
export type WriteTextAtomicOptions = { durable?: boolean; mode?: number; tempPrefix?: string };
