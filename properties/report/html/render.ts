import type { FileSnapshot, StepLockedHistory, StepRecord } from "../../../harness/history/types.js";
import type { ShownViolation as Violation } from "../../checks/violation.js";
import { droppedHere } from "../timeline.js";
import { describeEnding, describeStep as describeStepText } from "../describe-step.js";
import { actorsOf } from "../timeline.js";
import type { ReportInput } from "./input.js";
import { html, Markup, prettyJson } from "./markup.js";
import { stylesheet } from "./styles.js";

/** The page's words for a paused writer's checkpoint: no glyph the default fonts may lack. */
export const HTML_PAUSE_MARK = "pause at ";
const describeStep = (step: StepRecord["step"]) => describeStepText(step, HTML_PAUSE_MARK);
/** Two bars drawn in CSS (class `pause-mark`), so the mark shows whatever fonts the browser has. */
const pauseMark = html`<span class="pause-mark" aria-hidden="true"></span>`;

type LaneKind = "gateway" | "external" | "clock" | "other";
const laneKind = (actor: string): LaneKind =>
  /^g\d+$/.test(actor) ? "gateway" : /^x\d+$/.test(actor) ? "external" : actor === "clock" ? "clock" : "other";

/** A writer held at a checkpoint, drawn in its gateway's lane until the step that resumes or kills it. */
type Hold = { checkpoint: string; since: number };

/**
 * A history as one self-contained HTML page: inline CSS, no script, no external asset, every
 * text escaped. One lane per process (`data-lane`), one box per step in its actor's lane
 * (`data-op-index`) with what it did, how it ended and when, its tripwire payloads
 * (`data-tripwire-index`) and the violations found there (`data-violation-step`); below the
 * lanes, the file's stat and hash after every step (`data-file-after-step`). A banner names the
 * failed property; a strip above the lanes places every step on the real time axis.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { history } = input;
  const lanes = lanesOf(history);
  const columns = history.steps.length + 1;
  const violations = byStep(input.violations, history);
  const title = input.failedProperty ? `${input.failedProperty} failed` : `${history.steps.length} step(s)`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drift-harness report: ${title}</title>
<style>${new Markup(stylesheet(columns))}</style>
</head>
<body>
${header(input)}
${banner(input, violations.orphans)}
${overview(history, lanes, violations.at)}
<section aria-label="steps">
<h2>Steps, one lane per process</h2>
${legend()}
<div class="scroller">
${axisRow(history)}
${lanes.map((lane) => laneRow(history, lane, violations.at, violations.drops))}
${fileRow(history)}
</div>
</section>
${footer(input)}
</body>
</html>
`;
  return page.text;
}

/** Lanes in the timeline's order (gateways, externals, clock when coarse), then any other actor a step names. */
function lanesOf(history: StepLockedHistory): string[] {
  const lanes = actorsOf(history);
  for (const record of history.steps) if (!lanes.includes(record.step.actor)) lanes.push(record.step.actor);
  return lanes;
}

/** `drops`: lost writes by the step whose version dropped them (the other end of a lost-write mark). */
function byStep(
  violations: Violation[],
  history: StepLockedHistory,
): { at: Map<number, Violation[]>; drops: Map<number, Violation[]>; orphans: Violation[] } {
  const at = new Map<number, Violation[]>();
  const drops = new Map<number, Violation[]>();
  const orphans: Violation[] = [];
  for (const v of violations) {
    if (v.lostWrite) drops.set(v.lostWrite.droppedAt, [...(drops.get(v.lostWrite.droppedAt) ?? []), v]);
    if (Number.isInteger(v.step) && v.step >= 0 && v.step < history.steps.length)
      at.set(v.step, [...(at.get(v.step) ?? []), v]);
    else orphans.push(v);
  }
  return { at, drops, orphans };
}

const CHECKPOINT_WORDS: Record<StepLockedHistory["capabilities"]["checkpoints"], string> = {
  hook: "the store's hook",
  fs: "at the file-system boundary",
  none: "none",
};
const ms = (value: number): string => `${value.toFixed(3)} ms`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const entries = (n: number): string => `${n} ${n === 1 ? "entry" : "entries"}`;
const tripwireCount = (history: StepLockedHistory): number =>
  history.steps.reduce((n, record) => n + record.tripwires.length, 0);

function header(input: ReportInput): Markup {
  const { history, source } = input;
  const { options } = history.schedule;
  const known = history.capabilities.knownLimitations;
  const total = history.steps.at(-1)?.endedAt ?? 0;
  return html`<header>
<h1>drift-harness report</h1>
<dl class="meta">
${source?.file ? html`<dt>input</dt><dd>${source.file}</dd>` : false}
${source?.scenario ? html`<dt>scenario</dt><dd>${source.scenario}${source.reference ? ` [${source.reference}]` : ""}</dd>` : false}
${source?.story ? html`<dt>story</dt><dd>${source.story}</dd>` : false}
${source?.store ? html`<dt>shown run</dt><dd>the schedule replayed on the store ${source.store}</dd>` : false}
<dt>store module</dt><dd>${history.storeModule}</dd>
<dt>store file</dt><dd>${history.storePath}</dd>
<dt>capabilities</dt><dd>checkpoints: ${CHECKPOINT_WORDS[history.capabilities.checkpoints]}; known limitations: ${known === null ? "not declared" : known.join(", ") || "none"}</dd>
<dt>schedule</dt><dd>${plural(options.gateways, "gateway")}, ${plural(options.externals, "external")}${options.coarseClock ? ", coarse clock" : ", real clock"}${options.throwingEmitter ? ", throwing emitter" : ""}</dd>
<dt>run</dt><dd>${plural(history.steps.length, "step")} in ${ms(total)}; ${plural(tripwireCount(history), "tripwire")}; ${plural(input.violations.length, "violation")}</dd>
</dl>
</header>`;
}

function banner(input: ReportInput, orphans: Violation[]): Markup {
  const { failedProperty, violations, verdicts } = input;
  const failed = Boolean(failedProperty) || violations.length > 0;
  const verdictTable =
    verdicts && verdicts.length > 0
      ? html`<table class="verdicts"><thead><tr><th>property</th><th>store</th><th>expected</th><th>came out</th><th></th></tr></thead><tbody>
${verdicts.map(
  (v) =>
    html`<tr><td>${v.property}</td><td>${v.store ?? ""}</td><td>${v.expected}</td><td>${v.held ? "held" : "failed"}</td><td class="${v.ok ? "" : "unexpected"}">${v.ok ? "as expected" : "UNEXPECTED"}</td></tr>`,
)}
</tbody></table>`
      : false;
  if (!failed) {
    const checked = verdicts && verdicts.length > 0;
    return html`<section class="banner ${checked ? "ok" : "info"}" data-banner>
<h2>${checked ? "✓ No property failed on this run" : "No violations given with this history"}</h2>
${checked ? false : html`<p>The history was not checked here; give the file as <code>{ "history", "violations", "failedProperty" }</code> to show what a property found.</p>`}
${verdictTable}
</section>`;
  }
  const property = failedProperty ?? "a property";
  const verdict = verdicts?.find(
    (v) => v.property === failedProperty && !v.held && (v.store ?? null) === (input.source?.store ?? null),
  );
  const expectation = verdict
    ? verdict.ok
      ? " (the scenario expects it to fail here)"
      : " (UNEXPECTED: the scenario expects it to hold)"
    : "";
  return html`<section class="banner fail" role="alert" data-banner${failedProperty ? html` data-failed-property="${failedProperty}"` : false}>
<h2>✗ ${failedProperty ? html`<code>${property}</code>` : property} failed: ${plural(violations.length, "violation")}${expectation}</h2>
<ul>
${violations.map((v) => {
  const tied = !orphans.includes(v);
  return html`<li data-banner-violation>${tied ? html`<a href="#step-${v.step}">step ${v.step} (${v.actor})</a>: ` : false}${
    tied
      ? v.message
      : html`<span class="violation" data-violation-step="${v.step}">step ${v.step} (${v.actor}), not in this history: ${v.message}</span>`
  }</li>`;
})}
</ul>
${verdictTable}
</section>`;
}

function overview(history: StepLockedHistory, lanes: string[], violations: Map<number, Violation[]>): Markup {
  const total = Math.max(history.steps.at(-1)?.endedAt ?? 0, ...history.steps.map((r) => r.endedAt), 0.001);
  const pct = (value: number) => `${((Math.max(0, value) / total) * 100).toFixed(4)}%`;
  return html`<section aria-label="real time">
<h2>Real time</h2>
<p class="note">Each step placed at its start time and as wide as it took (at least 4 px, so instantaneous steps show). Click one to jump to its box.</p>
<div class="overview">
${lanes.map(
  (lane) =>
    html`<div class="ov-lane" data-overview-lane="${lane}"><span class="name">${lane}</span><div class="ov-track">${history.steps
      .filter((record) => record.step.actor === lane)
      .map((record) => {
        const classes = [
          laneKind(lane),
          record.tripwires.length > 0 ? "tripped" : "",
          violations.has(record.index) ? "violating" : "",
        ]
          .filter(Boolean)
          .join(" ");
        const tip = `#${record.index} ${describeStep(record.step)} → ${describeEnding(record)} (${ms(record.startedAt)} to ${ms(record.endedAt)})`;
        return html`<a class="ov-box ${classes}" href="#step-${record.index}" data-overview-index="${record.index}" title="${tip}" style="left:${pct(record.startedAt)};width:${pct(record.endedAt - record.startedAt)}"></a>`;
      })}</div></div>`,
)}
<div class="ov-axis"><div></div><div><span>0 ms</span><span>${ms(total / 2)}</span><span>${ms(total)}</span></div></div>
</div>
</section>`;
}

function legend(): Markup {
  return html`<div class="legend">
<span><span class="swatch" style="background:var(--gateway-bg);border-color:var(--gateway)"></span>gateway writer/reader</span>
<span><span class="swatch" style="background:var(--external-bg);border-color:var(--external)"></span>external process</span>
<span><span class="swatch" style="background:var(--clock-bg);border-color:var(--clock)"></span>clock tick</span>
<span><span class="swatch" style="background:var(--trip-bg);border-color:var(--trip)"></span>⚡ tripwire payload</span>
<span><span class="swatch" style="background:var(--bad-bg);border-color:var(--bad)"></span>✗ violation</span>
<span><span class="swatch" style="background:#fff;border:2px dashed var(--gateway)"></span>writer held at a checkpoint</span>
</div>`;
}

function axisRow(history: StepLockedHistory): Markup {
  return html`<div class="row axis"><div class="label">step<small>time since start</small></div><div class="cell"><b>initial</b><br>before step 0</div>${history.steps.map(
    (record) =>
      html`<div class="cell" data-axis-step="${record.index}"><b>#${record.index}</b> ${record.step.actor}<br><span class="mono">${record.startedAt.toFixed(3)}–${record.endedAt.toFixed(3)} ms</span></div>`,
  )}</div>`;
}

function laneRow(
  history: StepLockedHistory,
  lane: string,
  violations: Map<number, Violation[]>,
  drops: Map<number, Violation[]>,
): Markup {
  const kind = laneKind(lane);
  const holds = holdsIn(history, lane);
  let tripwireIndex = 0;
  const before = new Map<number, number>();
  for (const record of history.steps) {
    before.set(record.index, tripwireIndex);
    tripwireIndex += record.tripwires.length;
  }
  const cells = history.steps.map((record) => {
    if (record.step.actor === lane)
      return html`<div class="cell">${opBox(record, kind, before.get(record.index)!, violations.get(record.index) ?? [], drops.get(record.index) ?? [])}</div>`;
    const hold = holds.get(record.index);
    return hold
      ? html`<div class="cell"><div class="hold-bar" data-held-since="${hold.since}">${pauseMark}${lane}'s writer held at ${hold.checkpoint} since #${hold.since}</div></div>`
      : html`<div class="cell"></div>`;
  });
  const role = { gateway: "gateway", external: "external", clock: "virtual clock", other: "actor" }[kind];
  return html`<div class="row lane ${kind}" data-lane="${lane}"><div class="label">${lane}<small>${role}</small></div><div class="cell"></div>${cells}</div>`;
}

/** The steps during which `lane` holds a paused writer (from after its pause to the step that resumes or kills it). */
function holdsIn(history: StepLockedHistory, lane: string): Map<number, Hold> {
  const held = new Map<number, Hold>();
  let open: Hold | null = null;
  for (const record of history.steps) {
    if (record.step.actor === lane) {
      open = record.end.kind === "paused" ? { checkpoint: record.end.checkpoint, since: record.index } : null;
    } else if (open) held.set(record.index, open);
  }
  return held;
}

function opBox(
  record: StepRecord,
  kind: LaneKind,
  firstTripwire: number,
  violations: Violation[],
  drops: Violation[] = [],
): Markup {
  const what = describeStep(record.step);
  const classes = [
    "op",
    kind,
    violations.length > 0 || drops.length > 0 ? "violating" : "",
    record.tripwires.length > 0 ? "tripped" : "",
  ]
    .filter(Boolean)
    .join(" ");
  const tip = `#${record.index} ${record.step.actor}: ${what} → ${describeEnding(record)}`;
  return html`<article class="${classes}" id="step-${record.index}" data-op-index="${record.index}" data-actor="${record.step.actor}" title="${tip}">
<div class="op-head"><span class="idx">#${record.index}</span><span>${record.step.actor}</span>${record.pid === null ? false : html`<span>pid ${record.pid}</span>`}</div>
<div class="op-what">${what}</div>
${outcomes(record)}
<div class="time">${ms(record.startedAt)} → ${ms(record.endedAt)} (${ms(record.endedAt - record.startedAt)})</div>
${record.tripwires.map((payload, i) => tripwire(payload, firstTripwire + i, record.index))}
${violations.map((v) => html`<div class="violation" data-violation-step="${v.step}" data-violation-actor="${v.actor}">✗ ${v.message}</div>`)}
${drops.map((v) => html`<div class="violation" data-dropped-write="${v.step}">✗ <a href="#step-${v.step}">${droppedHere(v)}</a></div>`)}
</article>`;
}

function outcomes(record: StepRecord): Markup {
  const { end } = record;
  if (end.kind === "paused") return html`<div class="outcome held">→ ${pauseMark}held at ${end.checkpoint}</div>`;
  if (end.kind === "restarted") {
    return html`<div class="outcome killed">→ killed pid ${end.killedPid}${end.killedWhilePaused ? " (its writer was held mid-write)" : ""}, started afresh</div>`;
  }
  if (end.outcomes.length === 0) return html`<div class="outcome ok">→ ok</div>`;
  const numbered = end.outcomes.length > 1;
  return html`${end.outcomes.map((outcome: (typeof end.outcomes)[number], i: number) => {
    const n = numbered ? `${i + 1}. ` : "";
    if (outcome === null)
      return html`<div class="outcome held">→ ${n}waits for ${end.kind === "blocked" ? end.lock : "the lock"}, which a killed writer left</div>`;
    if (outcome.status === "error")
      return html`<div class="outcome error">→ ${n}✗ ${outcome.error.name}: ${outcome.error.message}</div>`;
    if (outcome.value === undefined) return html`<div class="outcome ok">→ ${n}ok</div>`;
    return html`<details class="outcome ok"><summary>→ ${n}ok, value</summary><pre>${prettyJson(outcome.value)}</pre></details>`;
  })}`;
}

function tripwire(payload: unknown, index: number, step: number): Markup {
  const fields = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : {};
  const reason = typeof fields.reason === "string" ? fields.reason : "no reason field";
  const pair = (name: string) =>
    fields[`observed${name}`] !== undefined || fields[`expected${name}`] !== undefined
      ? `${String(fields[`expected${name}`])} → ${String(fields[`observed${name}`])}`
      : null;
  const size = pair("Size");
  const mtime = pair("Mtime");
  const full = prettyJson(payload);
  return html`<div class="tripwire" data-tripwire-index="${index}" data-tripwire-step="${step}" title="${full}">
<div><strong>⚡ tripwire: ${reason}</strong></div>
${size || mtime ? html`<div class="why mono">${size ? `size ${size}` : ""}${size && mtime ? "; " : ""}${mtime ? `mtime ${mtime}` : ""} (expected → observed)</div>` : false}
<details><summary>full payload</summary><pre class="payload">${full}</pre></details>
</div>`;
}

function fileRow(history: StepLockedHistory): Markup {
  return html`<div class="row file-lane" data-file-lane><div class="label">file<small>after each step</small></div>${fileCell(history.initial, null, "initial", html` data-file-initial`)}${history.steps.map(
    (record) =>
      fileCell(record.after, record.before, `after #${record.index}`, html` data-file-after-step="${record.index}"`),
  )}</div>`;
}

/** The file as seen after a step: stat (mtimeMs, size, inode), hash, content, and what changed since before the step. */
function fileCell(snapshot: FileSnapshot, previous: FileSnapshot | null, label: string, attrs: Markup): Markup {
  const stat = snapshot.stat;
  const badges = previous ? changeBadges(previous, snapshot) : [];
  if (snapshot.content.kind === "unparseable") badges.push(html`<span class="badge warn">unparseable</span>`);
  const content =
    snapshot.content.kind === "json"
      ? html`<details><summary>content: ${entries(Object.keys(snapshot.content.store).length)}</summary><pre>${prettyJson(snapshot.content.store)}</pre></details>`
      : snapshot.content.kind === "unparseable"
        ? html`<div>content: unparseable, ${snapshot.content.bytes} bytes</div>`
        : false;
  if (stat.kind === "missing") {
    return html`<div class="cell file missing"${attrs}><div class="file-head">${label} <span class="badge warn">missing</span>${badges}</div><div>no file</div></div>`;
  }
  const when = new Date(stat.mtimeMs);
  return html`<div class="cell file"${attrs}><div class="file-head">${label} ${badges}</div>
<dl>
<dt>mtime</dt><dd title="${Number.isNaN(when.getTime()) ? "" : when.toISOString()}">${String(stat.mtimeMs)}</dd>
<dt>size</dt><dd>${stat.size} B</dd>
<dt>inode</dt><dd>${stat.ino}</dd>
<dt>sha256</dt><dd>${snapshot.hash ?? "none"}</dd>
</dl>
${content}
</div>`;
}

function changeBadges(before: FileSnapshot, after: FileSnapshot): Markup[] {
  const a = before.stat;
  const b = after.stat;
  if (a.kind === "missing" && b.kind === "missing") return [html`<span class="badge same">still missing</span>`];
  if (a.kind === "missing") return [html`<span class="badge changed">created</span>`];
  if (b.kind === "missing") return [html`<span class="badge warn">deleted</span>`];
  const sameStat = a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
  if (sameStat && before.hash === after.hash) return [html`<span class="badge same">unchanged</span>`];
  const badges = [html`<span class="badge changed">changed</span>`];
  if (a.ino !== b.ino) badges.push(html`<span class="badge changed">new inode</span>`);
  if (before.hash !== after.hash && a.mtimeMs === b.mtimeMs && a.size === b.size) {
    badges.push(
      html`<span class="badge warn" title="a stat cannot see this change">same mtime and size, new content</span>`,
    );
  }
  return badges;
}

function footer(input: ReportInput): Markup {
  const { history } = input;
  const raw = { history, violations: input.violations, failedProperty: input.failedProperty ?? null };
  return html`<section aria-label="details">
<h2>Leftovers and raw data</h2>
<p>${history.leftovers.length > 0 ? html`Files beside the store when the run ended: <code>${history.leftovers.join(", ")}</code>` : "No files were left beside the store when the run ended."}</p>
<details><summary>The history and violations as JSON (the form <code>drift-harness report</code> reads back)</summary><pre>${prettyJson(raw)}</pre></details>
</section>`;
}
