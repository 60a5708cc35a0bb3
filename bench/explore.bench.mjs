// Explorer speed: schedules per second, the reduction factor of state caching (the default) and of DPOR against
// naive enumeration (every option at every scheduling point, no reduction of any kind) on the same preemption bound, and
// the time to the first violation for each racy example the explorer can show. Engines are compiled in memory (no
// cache) once, outside the timings.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { SourceFile } from '../dist/diagnostics/source.js';
import { exploreTarget } from '../dist/explore/harness.js';
import { engineLines, explorableControls } from '../dist/explore/program.js';
import { search } from '../dist/explore/search.js';
import { defaultExploreWorkload } from '../dist/explore/workloads.js';
import { loadProgram } from '../dist/session/cache.js';
import { defaultEngines } from '../dist/session/session.js';
import { median } from './lib/stats.mjs';

const BOUND = 2;

async function targetOf(path) {
  const source = new SourceFile(path, readFileSync(path, 'utf8'));
  const program = await loadProgram(source, { version: 'bench', cacheDir: null });
  const engines = defaultEngines(program.engines);
  const controls = explorableControls(engineLines(source), engines);
  return exploreTarget(program, engines, defaultExploreWorkload(source.text), controls);
}

export default {
  name: 'explore',
  async run({ runs }) {
    const rows = [];
    const racy = readdirSync('examples/racy')
      .filter((f) => f.endsWith('.utr'))
      .sort();
    for (const f of racy) {
      const target = await targetOf(`examples/racy/${f}`);
      for (const semantics of ['classic', 'sticky-stop']) {
        const times = [];
        let found = '';
        for (let i = 0; i < Math.max(1, Math.min(runs, 3)); i++) {
          const r = await search(target, { semantics, bound: BOUND, budgetMs: 10_000 });
          times.push(r.firstViolationMs ?? NaN);
          found = r.findings.map((x) => x.violation.invariant).join(', ');
        }
        if (found)
          rows.push({
            measurement: `first violation ${f.replace(/\.utr$/, '')} [${semantics}]`,
            value: median(times).toFixed(0),
            unit: 'ms',
            detail: found,
          });
      }
    }
    // Reduction and rate on every example: naive enumeration against state caching (the default) and DPOR, same
    // bound. A factor counts only where both searches finish; where naive does not, it is a lower bound.
    const REDUCTIONS = ['states', 'dpor'];
    // Schedules per search on the examples where naive enumeration and every reduction finish.
    const total = { none: 0, states: 0, dpor: 0 };
    const logs = { states: [], dpor: [] };
    let schedules = 0;
    let ms = 0;
    const all = [
      ...racy.map((f) => `examples/racy/${f}`),
      ...readdirSync('examples')
        .filter((f) => f.endsWith('.utr'))
        .map((f) => `examples/${f}`),
    ];
    const options = { semantics: 'classic', bound: BOUND, all: true };
    for (const path of all.sort()) {
      const target = await targetOf(path);
      const naive = await search(target, { ...options, budgetMs: 20_000, reduction: 'none' });
      const reduced = {};
      for (const reduction of REDUCTIONS) {
        const t0 = performance.now();
        reduced[reduction] = await search(target, { ...options, budgetMs: 60_000, reduction });
        if (reduction === 'states' && reduced[reduction].complete) {
          schedules += reduced[reduction].schedules;
          ms += performance.now() - t0;
        }
      }
      const cell = (r) =>
        `${r.complete ? '' : '>'}${r.schedules}${r.states !== undefined ? ` (${r.states} states)` : ''}`;
      const detail = `naive ${cell(naive)}, states ${cell(reduced.states)}, dpor ${cell(reduced.dpor)}`;
      const factors = REDUCTIONS.map((reduction) => {
        const r = reduced[reduction];
        if (!r.complete) return `${reduction} -`;
        const f = naive.schedules / r.schedules;
        if (naive.complete) logs[reduction].push(Math.log(f));
        return `${reduction} ${naive.complete ? '' : '>'}${f.toFixed(1)}x`;
      });
      if (naive.complete && REDUCTIONS.every((r) => reduced[r].complete)) {
        total.none += naive.schedules;
        for (const r of REDUCTIONS) total[r] += reduced[r].schedules;
      }
      rows.push({ measurement: `reduction ${path}`, value: factors.join(', '), unit: '', detail });
    }
    for (const reduction of REDUCTIONS) {
      const logsOf = logs[reduction];
      rows.push({
        measurement: `reduction ${reduction}, whole example set`,
        value: (total.none / Math.max(1, total[reduction])).toFixed(1),
        unit: 'x',
        detail: `${total.none} naive vs ${total[reduction]} schedules (examples where all three finish), bound ${BOUND}`,
      });
      rows.push({
        measurement: `reduction ${reduction}, geometric mean per example`,
        value: Math.exp(logsOf.reduce((a, b) => a + b, 0) / Math.max(1, logsOf.length)).toFixed(1),
        unit: 'x',
        detail: `${logsOf.length} examples where naive and ${reduction} finish`,
      });
    }
    rows.push({
      measurement: 'schedules per second (state caching, complete searches)',
      value: ((schedules * 1000) / Math.max(1, ms)).toFixed(0),
      unit: '/s',
      detail: `${schedules} schedules in ${(ms / 1000).toFixed(1)} s (a schedule stopped at a known state counts as one)`,
    });
    return rows;
  },
};
