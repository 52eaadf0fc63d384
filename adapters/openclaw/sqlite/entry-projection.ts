/**
 * How the harness's Store shape (key → entry, `acp` on the entry) maps onto a SQLite-era
 * release's rows, and back, losslessly for everything a schedule writes. Shared by the gateway
 * runtime and the parent's snapshot reader, so a timeline reads the same as on a JSON store.
 *
 * - Keys: the release refuses non-canonical keys (`SESSION_CANONICAL_KEY_MIGRATION_REQUIRED`);
 *   a schedule key `a` is the canonical `agent:main:a`.
 * - `updatedAt`: a small one written through the bridge comes back re-stamped, so the
 *   step stamp the harness identifies writes by rides in `driftStamp` and is shown as `updatedAt`.
 * - Fields the release adds on read (`sessionFile`, a `sqlite:` marker; `delivery: {kind:"none"}`,
 *   its default) are not shown.
 * - ACP: a row of `acp_sessions` whose `runtimeOptions.driftAcp` holds the schedule's binding.
 * - Session identity: the release ties an ACP row to the session it was bound in by its
 *   `session_id` (`acpSessionRowMatchesEntry`), and its callers give every session they create
 *   a new id. The harness names an entry's session `sid-<key>` whatever its history, so an
 *   entry created through the bridge gets `sid-<key>~<random>` in the release, kept while the
 *   entry lives and shown as `sid-<key>`. Without it a deleted and re-created entry would be the
 *   same session to the release, and pick up the ACP row of the one deleted.
 */
export const AGENT_PREFIX = "agent:main:";
export const STAMP_FIELD = "driftStamp";
export const ACP_OPTION = "driftAcp";

export type Entry = Record<string, unknown>;

const SESSION_GENERATION = "~";

/** The harness's session id of a release session id (`sid-a~1f2e3d4c` is `sid-a`). */
export const harnessSessionId = (id: unknown): unknown =>
  typeof id === "string" && id.includes(SESSION_GENERATION) ? id.slice(0, id.lastIndexOf(SESSION_GENERATION)) : id;

/**
 * The release session id for a harness entry: the one its row already has when that is the same
 * harness session, otherwise a new one (an entry created, or given another session id).
 */
export function releaseSessionId(harnessId: unknown, current: unknown, fresh: () => string): unknown {
  if (typeof harnessId !== "string") return harnessId;
  if (typeof current === "string" && harnessSessionId(current) === harnessId) return current;
  return `${harnessId}${SESSION_GENERATION}${fresh()}`;
}

export const toReleaseKey = (key: string): string => `${AGENT_PREFIX}${key}`;
export const fromReleaseKey = (key: string): string =>
  key.startsWith(AGENT_PREFIX) ? key.slice(AGENT_PREFIX.length) : key;

/** A release entry as the harness sees it (no acp: that is folded in from acp_sessions). */
export function toHarnessEntry(entry: Entry): Entry {
  const { sessionFile, delivery, acp: _acp, [STAMP_FIELD]: stamp, ...rest } = entry;
  const shown: Entry = { ...rest };
  if ("sessionId" in rest) shown.sessionId = harnessSessionId(rest.sessionId);
  if (typeof stamp === "number") shown.updatedAt = stamp;
  if (!(typeof sessionFile === "string" && sessionFile.startsWith("sqlite:")) && sessionFile !== undefined)
    shown.sessionFile = sessionFile;
  if (delivery !== undefined && JSON.stringify(delivery) !== '{"kind":"none"}') shown.delivery = delivery;
  return shown;
}

/** A harness entry (without acp) as the release is handed it, with the session id `releaseSessionId` gave it. */
export function toReleaseEntry(entry: Entry, sessionId: unknown): Entry {
  const { acp: _acp, updatedAt, ...rest } = entry;
  return {
    ...rest,
    ...(sessionId === undefined ? {} : { sessionId }),
    updatedAt: typeof updatedAt === "number" ? updatedAt : 0,
    [STAMP_FIELD]: updatedAt,
  };
}

/** The release's ACP metadata for a schedule's binding: the release's required fields, the binding kept whole. */
export function toAcpMeta(acp: Record<string, unknown>, key: string, stamp: number): Record<string, unknown> {
  return {
    backend: typeof acp.backend === "string" ? acp.backend : "drift",
    agent: typeof acp.agent === "string" ? acp.agent : "drift",
    runtimeSessionName: `drift-${key}`,
    mode: "persistent",
    state: "idle",
    lastActivityAt: stamp,
    runtimeOptions: { [ACP_OPTION]: acp },
  };
}

/** The schedule's binding back from the release's metadata (a row the harness did not write is shown whole). */
export function fromAcpMeta(meta: Record<string, any>): Record<string, unknown> {
  const kept = meta.runtimeOptions?.[ACP_OPTION];
  return kept && typeof kept === "object" ? (kept as Record<string, unknown>) : meta;
}
