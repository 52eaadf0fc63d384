/** The "mtime-only" broken variant as a parts module: `--store` runs it as our store with its part swapped. */
import { variantByName } from "../catalogue.js";

export const storeParts = variantByName("mtime-only").swap;
