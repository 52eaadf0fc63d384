/**
 * The files a SQLite-era release keeps for a store path `<dir>/sessions.json`, named relative to
 * `<dir>`: the agent database the release derives from the store path, and the run's state dir
 * (the adapter points `OPENCLAW_STATE_DIR` there), whose `state/openclaw.sqlite` holds `acp_sessions`.
 */
export const SQLITE_AGENT_DB = "openclaw-agent.sqlite";
export const SQLITE_STATE_DIR = "openclaw-state";
export const SQLITE_STATE_DB = "openclaw-state/state/openclaw.sqlite";
