import { describeStore } from "../../api/vitest.js";

/**
 * A package's own suite can run the harness on a release: `conf@16` is conf's newest 16.x, fetched
 * into the cache. Two properties, few runs: the adapter's tests cover the rest.
 */
describeStore("conf@16 through describeStore", {
  store: "conf@16",
  only: ["unparseable-refused", "mid-flight-drift"],
  runs: 5,
  seed: 1,
  out: false,
});
