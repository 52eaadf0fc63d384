import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveStoreTarget } from "../../api/store-target.js";
import { UsageError } from "../../api/errors.js";
import { distDir } from "../../harness/paths.js";

const hardened = join(distDir, "src", "hardened.js");

describe("--store names", () => {
  it("the package's own export drift-harness/hardened is the hardened parts module, named as given", async () => {
    expect(await resolveStoreTarget({ store: "drift-harness/hardened" })).toMatchObject({
      storeModule: hardened,
      label: "drift-harness/hardened",
    });
  });

  it("our store's path with the export's ?parts= query is the same parts module", async () => {
    const store = join(distDir, "src", "store.js");
    expect((await resolveStoreTarget({ store: `${store}?parts=./hardened.js` })).storeModule).toBe(hardened);
    expect((await resolveStoreTarget({ store: new URL(`file://${store}?parts=./hardened.js`) })).storeModule).toBe(
      hardened,
    );
  });

  it("an export drift-harness does not have, or a parts query on another module, is a usage error", async () => {
    await expect(resolveStoreTarget({ store: "drift-harness/nope" })).rejects.toThrow(UsageError);
    await expect(resolveStoreTarget({ store: `${hardened}?parts=./x.js` })).rejects.toThrow(
      /only .* takes a parts query/,
    );
  });
});
