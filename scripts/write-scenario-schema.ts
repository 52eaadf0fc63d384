/** Regenerates scenarios/schema.json from the zod schema (`npm run schema`); a test keeps them equal. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../harness/paths.js";
import { renderScenarioJsonSchema } from "../properties/scenario/json-schema.js";

const file = join(projectRoot, "scenarios", "schema.json");
writeFileSync(file, renderScenarioJsonSchema());
process.stdout.write(`wrote ${file}\n`);
