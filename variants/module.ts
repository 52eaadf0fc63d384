/** A broken variant assembled from our parts; `variants/by-name/<name>.ts` exports it as a store module. */
import { createSessionStore } from "../src/create-store.js";
import { variantByName } from "./catalogue.js";

export const variantStore = (name: string) => createSessionStore(variantByName(name).swap);
