/**
 * Regenerates the table in docs/stores.md (`npm run stores:table`) from one
 * `matrix --explore --json` (default docs/stores/matrix.json) and the folder its explores wrote
 * (default docs/stores/explore/); the hand-written text around the markers is kept.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { projectRoot } from "../harness/paths.js";
import { MatrixReport } from "../matrix/matrix-report.js";
import { renderMatrixHtml } from "../matrix/render-html.js";
import { renderStoresTable } from "../matrix/stores-table.js";

const [
  matrixFile = join(projectRoot, "docs", "stores", "matrix.json"),
  exploreDir = join(projectRoot, "docs", "stores", "explore"),
] = process.argv.slice(2).map((arg) => resolve(arg));
const report = MatrixReport.parse(JSON.parse(readFileSync(matrixFile, "utf8")));
const doc = join(projectRoot, "docs", "stores.md");
const [before, rest] = readFileSync(doc, "utf8").split("<!-- stores:table -->");
const after = rest?.split("<!-- /stores:table -->")[1];
if (before === undefined || after === undefined)
  throw new Error(
    `${doc}: keep the <!-- stores:table --> and <!-- /stores:table --> markers, the table goes between them`,
  );
writeFileSync(
  doc,
  `${before}<!-- stores:table -->\n${renderStoresTable(report, exploreDir)}\n<!-- /stores:table -->${after}`,
);
const html = join(projectRoot, "docs", "stores", "matrix.html");
writeFileSync(html, renderMatrixHtml(report));
process.stdout.write(`wrote ${doc} and ${html} from ${matrixFile}\n`);
