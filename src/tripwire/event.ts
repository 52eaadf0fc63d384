/** The tripwire's event name (the payload's `type` and the log line's message), without the schema library. */
export const TRIPWIRE_EVENT = "session_store_cache_invalidated";
