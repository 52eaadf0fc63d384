import type { ReleaseLayout } from "./layout.js";

/** Everything the child needs to open one fetched release: written into its generated entry module. */
export type ReleaseDescriptor = {
  version: string;
  /** The extracted package (`…/openclaw/<version>/package`), absolute. */
  packageDir: string;
  /** openclaw's state, home, config and temp dir for the children, inside the cache, never `~/.openclaw`. */
  stateDir: string;
  layout: ReleaseLayout;
};
