/**
 * What every page of the tool shares (the timeline report and the release matrix): the palette's
 * common colours, the page font and the headings. `vars` adds a page's own custom properties.
 */
export function basePageStyle(vars: string): string {
  return `
:root {
  ${vars}
  --bad: #dc2626; --bad-bg: #fef2f2; --bad-text: #991b1b;
  --muted: #6b7280; --rule: #e5e7eb;
  color: #111827; background: #f9fafb;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1.25rem 1.5rem 3rem; font-size: 14px; line-height: 1.4; }
h1 { font-size: 1.4rem; margin: 0 0 .6rem; }
h2 { font-size: 1.05rem; margin: 1.6rem 0 .5rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
`;
}

/** The page's only stylesheet, inlined: `columns` is the number of step columns (plus one for the initial file). */
export function stylesheet(columns: number): string {
  return `${basePageStyle(`--col: 15rem; --label: 6.5rem;
  --gateway: #2563eb; --gateway-bg: #eff6ff; --gateway-line: #bfdbfe;
  --external: #b45309; --external-bg: #fff7ed; --external-line: #fed7aa;
  --clock: #6b7280; --clock-bg: #f3f4f6; --clock-line: #d1d5db;
  --trip: #ca8a04; --trip-bg: #fefce8;`)}
pre, code, .mono, .time, .file dd, .meta dd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { margin: .3rem 0 0; padding: .4rem; background: #fff; border: 1px solid var(--rule); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24rem; overflow: auto; }
summary { cursor: pointer; }
a { color: inherit; }
:target { outline: 3px solid #7c3aed; outline-offset: 2px; }
.note { color: var(--muted); margin: .2rem 0 .5rem; }

.banner { border: 2px solid; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
.banner.fail { border-color: var(--bad); background: var(--bad-bg); }
.banner.ok { border-color: #16a34a; background: #f0fdf4; }
.banner h2 { margin: 0 0 .4rem; font-size: 1.15rem; }
.banner.fail h2 { color: var(--bad-text); }
.banner ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.banner li { margin: .15rem 0; }
.verdicts { border-collapse: collapse; margin-top: .6rem; }
.verdicts th, .verdicts td { text-align: left; padding: .15rem .7rem .15rem 0; }
.verdicts .unexpected { color: var(--bad-text); font-weight: 700; }

.overview { background: #fff; border: 1px solid #d1d5db; border-radius: 6px; padding: .6rem .8rem; }
.ov-lane { display: grid; grid-template-columns: 3.5rem 1fr; align-items: center; height: 1.4rem; }
.ov-lane .name { font-weight: 600; font-size: 12px; }
.ov-track { position: relative; height: .95rem; background: #f3f4f6; border-radius: 3px; }
.ov-box { position: absolute; top: 0; bottom: 0; min-width: 4px; border-radius: 2px; opacity: .85; }
.ov-box.gateway { background: var(--gateway); } .ov-box.external { background: var(--external); } .ov-box.clock, .ov-box.other { background: var(--clock); }
.ov-box.tripped { box-shadow: inset 0 3px 0 var(--trip); }
.ov-box.violating { background: var(--bad); opacity: 1; }
.ov-axis { display: grid; grid-template-columns: 3.5rem 1fr; font-size: 11px; color: var(--muted); }
.ov-axis > div:last-child { display: flex; justify-content: space-between; }

.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; font-size: 12px; color: var(--muted); margin: .2rem 0 .5rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-right: .3rem; border: 1px solid; }
.scroller { overflow-x: auto; border: 1px solid #d1d5db; border-radius: 6px; background: #fff; }
.row { display: grid; grid-template-columns: var(--label) repeat(${columns}, var(--col)); width: max-content; min-width: 100%; border-bottom: 1px solid var(--rule); }
.row:last-child { border-bottom: 0; }
.row > .label { position: sticky; left: 0; z-index: 2; background: #f3f4f6; border-right: 1px solid #d1d5db; padding: .5rem .6rem; font-weight: 700; }
.row > .label small { display: block; font-weight: 400; color: var(--muted); }
.cell { padding: .4rem; border-right: 1px dashed var(--rule); min-height: 2.6rem; min-width: 0; }
.axis .cell { font-size: 12px; color: var(--muted); }
.axis .cell b { color: #111827; }
.lane.gateway > .label { box-shadow: inset 4px 0 0 var(--gateway); }
.lane.external > .label { box-shadow: inset 4px 0 0 var(--external); }
.lane.clock > .label, .lane.other > .label { box-shadow: inset 4px 0 0 var(--clock); }

.op { border: 1px solid; border-left-width: 5px; border-radius: 5px; padding: .35rem .5rem; overflow-wrap: anywhere; }
.op.gateway { border-color: var(--gateway-line); border-left-color: var(--gateway); background: var(--gateway-bg); }
.op.external { border-color: var(--external-line); border-left-color: var(--external); background: var(--external-bg); }
.op.clock, .op.other { border-color: var(--clock-line); border-left-color: var(--clock); background: var(--clock-bg); }
.op.violating { border-color: var(--bad); background: var(--bad-bg); box-shadow: 0 0 0 2px var(--bad); }
.op-head { display: flex; gap: .5rem; font-size: 12px; color: var(--muted); }
.op-head .idx { font-weight: 700; color: #111827; }
.op-what { font-weight: 600; margin: .15rem 0; }
.outcome { margin: .1rem 0; }
.outcome.ok { color: #166534; } .outcome.error { color: var(--bad-text); } .outcome.held { color: #1e40af; } .outcome.killed { color: #7c2d12; }
.time { color: var(--muted); margin-top: .15rem; }
.tripwire { border: 1px solid var(--trip); background: var(--trip-bg); border-radius: 4px; padding: .25rem .4rem; margin-top: .35rem; font-size: 12px; }
.tripwire summary { font-weight: 700; }
.tripwire .why { margin: .1rem 0 0; }
.violation { margin-top: .4rem; padding: .3rem .4rem; border-radius: 4px; background: #fee2e2; color: var(--bad-text); font-weight: 600; font-size: 12.5px; }
.pause-mark { display: inline-block; width: .55em; height: .75em; margin-right: .3em; border-left: .18em solid currentColor; border-right: .18em solid currentColor; box-sizing: border-box; vertical-align: -.05em; }
.hold-bar { height: 100%; min-height: 2.4rem; border: 2px dashed var(--gateway); border-radius: 5px; color: #1e40af; padding: .3rem .4rem; font-size: 12px; background: repeating-linear-gradient(135deg, #fff, #fff 6px, var(--gateway-bg) 6px, var(--gateway-bg) 12px); }

.file-lane .cell { font-size: 12px; }
.file .file-head { display: flex; flex-wrap: wrap; gap: .3rem; align-items: baseline; font-weight: 700; margin-bottom: .15rem; }
.file dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .5rem; margin: 0; }
.file dt { color: var(--muted); }
.file dd { margin: 0; overflow-wrap: anywhere; }
.badge { font-weight: 600; font-size: 11px; border-radius: 999px; padding: 0 .45rem; border: 1px solid; }
.badge.same { color: var(--muted); border-color: var(--rule); }
.badge.changed { color: #1e40af; border-color: var(--gateway-line); background: var(--gateway-bg); }
.badge.warn { color: var(--bad-text); border-color: #fca5a5; background: var(--bad-bg); }
.file.missing dl { display: none; }
`;
}
