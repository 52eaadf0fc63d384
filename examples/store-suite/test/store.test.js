import { describeStore } from "drift-harness/vitest";

// STORE_MODULE picks another module (the broken one, to see the suite fail); ours by default.
const store = new URL(process.env.STORE_MODULE ?? "../src/store.js", import.meta.url);

describeStore("the session store", { store, runs: 15, seed: 1 });
