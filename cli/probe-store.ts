/** Re-exported for the CLI: probing a store is the same wherever it is done. */
export { probeCapabilities as probeStore } from "../properties/run/stores.js";
