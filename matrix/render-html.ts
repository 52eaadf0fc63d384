import { escapeHtml, html } from "../properties/report/html/markup.js";
import { basePageStyle } from "../properties/report/html/styles.js";
import type { CellResult, MatrixReport } from "./matrix-report.js";

const STYLE = `${basePageStyle("--ok: #16a34a; --ok-bg: #f0fdf4; --repro: #ca8a04; --repro-bg: #fefce8;")}
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
table.matrix { border-collapse: collapse; background: #fff; border: 1px solid #d1d5db; }
.matrix th, .matrix td { border: 1px solid var(--rule); padding: .2rem .45rem; text-align: left; vertical-align: top; }
.matrix thead th { position: sticky; top: 0; background: #f3f4f6; font-weight: 600; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.matrix th.release { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; }
.cell { font-size: 12px; white-space: nowrap; }
.cell.held { background: var(--ok-bg); color: #166534; }
.cell.failed { background: var(--bad-bg); color: var(--bad-text); font-weight: 700; }
.cell.reproduced { background: var(--repro-bg); color: #854d0e; font-weight: 600; }
.cell.absent { background: #f3f4f6; color: var(--muted); }
.cell a { color: inherit; }
.details li { margin: .2rem 0; }
.legend span { display: inline-block; margin-right: .8rem; padding: 0 .4rem; border-radius: 3px; }
`;

const LABEL: Record<CellResult, string> = {
  held: "held",
  failed: "failed",
  reproduced: "reproduced",
  absent: "absent",
};

/**
 * The matrix as a self-contained page (no external assets), in the timeline report's palette:
 * a row per release, a column per scenario or property, each cell coloured by its result with
 * its detail as the title and a link to the details list below.
 */
export function renderMatrixHtml(report: MatrixReport): string {
  const byKey = new Map(report.cells.map((c) => [`${c.release}\u0000${c.column}`, c] as const));
  const details = report.cells.filter((c) => c.result !== "held");
  const anchor = (release: string, column: string) => `cell-${release}-${column.replace(/[^a-z0-9-]/gi, "_")}`;
  const body = html`<header>
<h1>Release matrix: ${report.store}</h1>
<dl class="meta">
<dt>releases</dt><dd class="mono">${report.releases.join(" ")}</dd>
<dt>columns</dt><dd>${report.columns.filter((c) => c.kind === "scenario").length} scenario(s), ${report.columns.filter((c) => c.kind === "property").length} explored propert(ies)</dd>
</dl>
<p class="legend">${(["held", "reproduced", "failed", "absent"] as const).map((r) => html`<span class="cell ${r}">${LABEL[r]}</span>`)}</p>
</header>
<table class="matrix" data-releases="${report.releases.length}" data-columns="${report.columns.length}">
<thead><tr><th>release</th>${report.columns.map((c) => html`<th data-column="${c.id}" title="${c.id}">${c.label}</th>`)}</tr></thead>
<tbody>
${report.releases.map(
  (release) => html`<tr data-release="${release}"><th class="release">${release}</th>${report.columns.map((col) => {
    const cell = byKey.get(`${release}\u0000${col.id}`);
    if (!cell) return html`<td class="cell missing" data-column="${col.id}">-</td>`;
    const text =
      cell.result === "held" ? LABEL.held : html`<a href="#${anchor(release, col.id)}">${LABEL[cell.result]}</a>`;
    return html`<td class="cell ${cell.result}" data-column="${col.id}" data-result="${cell.result}" title="${cell.detail}">${text}</td>`;
  })}</tr>
`,
)}</tbody>
</table>
<h2>Every cell that did not hold</h2>
<ul class="details">
${details.map(
  (
    c,
  ) => html`<li id="${anchor(c.release, c.column)}" data-result="${c.result}"><code>${c.release}</code> ${c.column}: <strong>${LABEL[c.result]}</strong>: ${c.detail}${c.file ? html` <code>${c.file}</code>` : ""}</li>
`,
)}</ul>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>drift-harness matrix: ${escapeHtml(report.store)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.text}
</body>
</html>
`;
}
