/**
 * The HTML report: a standalone page (no scripts, no external files) with each counterexample drawn as an SVG
 * sequence diagram. Lanes: each tracee thread, each engine's handlers, each piece of debugger-side code; one row per
 * step, an arrow where control passes from one lane to another, the violating step in red.
 */
import type { Counterexample, SemanticsSummary } from './report-text.js';
import type { Lane, Step } from './steps.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function laneKey(l: Lane): string {
  return l.kind === 'task' ? `task ${l.task}` : l.kind === 'engine' ? `engine ${l.engine}` : `debugger ${l.name}`;
}

/** One counterexample as an SVG sequence diagram. */
function sequenceSvg(steps: readonly Step[], file: string): string {
  const lanes: string[] = [];
  for (const s of steps) if (!lanes.includes(laneKey(s.lane))) lanes.push(laneKey(s.lane));
  const laneW = 170;
  const rowH = 22;
  const left = 40;
  const textX = left + lanes.length * laneW + 10;
  const top = 50;
  const width = textX + 760;
  const height = top + steps.length * rowH + 20;
  const x = (key: string): number => left + lanes.indexOf(key) * laneW + laneW / 2;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="12">`,
  );
  out.push(
    `<defs><marker id="a" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>`,
  );
  lanes.forEach((l) => {
    out.push(`<text x="${x(l)}" y="20" text-anchor="middle" font-weight="bold">${esc(l)}</text>`);
    out.push(`<line x1="${x(l)}" y1="30" x2="${x(l)}" y2="${height - 10}" stroke="#bbb" stroke-dasharray="4 3"/>`);
  });
  let prev: string | null = null;
  steps.forEach((s, i) => {
    const y = top + i * rowH;
    const k = laneKey(s.lane);
    const colour = s.violation ? '#c00' : '#222';
    if (prev !== null && prev !== k)
      out.push(
        `<line x1="${x(prev)}" y1="${y - rowH + 4}" x2="${x(k)}" y2="${y - 4}" stroke="#555" marker-end="url(#a)"/>`,
      );
    out.push(`<circle cx="${x(k)}" cy="${y}" r="4" fill="${colour}"/>`);
    const where = s.line !== undefined ? `  (${file}:${s.line} ${s.member ?? ''})` : '';
    out.push(
      `<text x="${textX}" y="${y + 4}" fill="${colour}">${esc(`${s.n}. ${s.text.replace(/^\[[^\]]*\]\s*/, '')}${where}`)}</text>`,
    );
    prev = k;
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The whole HTML report. */
export function renderHtml(
  file: string,
  summaries: readonly SemanticsSummary[],
  examples: readonly Counterexample[],
): string {
  const rows = summaries
    .map(
      (s) =>
        `<tr><td>${esc(s.semantics)}</td><td>${s.violations.length === 0 ? 'none' : esc(s.violations.join(', '))}</td><td>${s.schedules}</td><td>${s.states ?? '–'}</td><td>${s.outcomes}</td><td>${s.complete ? `complete (bound ${s.bound})` : `budget reached (bound ${s.bound})`}</td></tr>`,
    )
    .join('\n');
  const sections = examples
    .map(
      (ex) =>
        `<section><h2>[${esc(ex.semantics)}] ${esc(ex.violation.invariant)}</h2><p>${esc(ex.violation.message)}</p>${ex.scheduleFile ? `<p>Replay: <code>utrc run ${esc(file)} --schedule ${esc(ex.scheduleFile)}</code></p>` : ''}<div style="overflow-x:auto">${sequenceSvg(ex.steps, file)}</div></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>utrc explore: ${esc(file)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}</style>
</head><body>
<h1>utrc explore: ${esc(file)}</h1>
<table><tr><th>semantics</th><th>violations</th><th>schedules</th><th>states</th><th>outcomes</th><th>search</th></tr>
${rows}
</table>
${sections || '<p>No violation found.</p>'}
</body></html>
`;
}
