/** The "in-place-write" broken variant as a parts module: `--store` runs it as our store with its part swapped. */
import { variantByName } from "../catalogue.js";

export const storeParts = variantByName("in-place-write").swap;
