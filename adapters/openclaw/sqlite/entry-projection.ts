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
 */
export const AGENT_PREFIX = "agent:main:";
export const STAMP_FIELD = "driftStamp";
export const ACP_OPTION = "driftAcp";

export type Entry = Record<string, unknown>;

export const toReleaseKey = (key: string): string => `${AGENT_PREFIX}${key}`;
export const fromReleaseKey = (key: string): string =>
  key.startsWith(AGENT_PREFIX) ? key.slice(AGENT_PREFIX.length) : key;

/** A release entry as the harness sees it (no acp: that is folded in from acp_sessions). */
export function toHarnessEntry(entry: Entry): Entry {
  const { sessionFile, delivery, acp: _acp, [STAMP_FIELD]: stamp, ...rest } = entry;
  const shown: Entry = { ...rest };
  if (typeof stamp === "number") shown.updatedAt = stamp;
  if (!(typeof sessionFile === "string" && sessionFile.startsWith("sqlite:")) && sessionFile !== undefined)
    shown.sessionFile = sessionFile;
  if (delivery !== undefined && JSON.stringify(delivery) !== '{"kind":"none"}') shown.delivery = delivery;
  return shown;
}

/** A harness entry (without acp) as the release is handed it. */
export function toReleaseEntry(entry: Entry): Entry {
  const { acp: _acp, updatedAt, ...rest } = entry;
  return { ...rest, updatedAt: typeof updatedAt === "number" ? updatedAt : 0, [STAMP_FIELD]: updatedAt };
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
