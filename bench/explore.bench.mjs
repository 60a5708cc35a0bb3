// Explorer speed: schedules per second, the reduction factor of the partial-order reduction against naive
// enumeration (every option at every scheduling point, no reduction of any kind) on the same preemption bound, and
// the time to the first violation for each racy example the explorer can show. Engines are compiled in memory (no
// cache) once, outside the timings. The factor counts only examples whose two searches both finish.
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
    // Reduction and rate on every example, complete searches only (both must finish to compare).
    let naiveTotal = 0;
    let reducedTotal = 0;
    let schedules = 0;
    let ms = 0;
    const all = [
      ...racy.map((f) => `examples/racy/${f}`),
      ...readdirSync('examples')
        .filter((f) => f.endsWith('.utr'))
        .map((f) => `examples/${f}`),
    ];
    for (const path of all.sort()) {
      const target = await targetOf(path);
      const naive = await search(target, {
        semantics: 'classic',
        bound: BOUND,
        budgetMs: 20_000,
        all: true,
        reduction: 'none',
      });
      const t0 = performance.now();
      const reduced = await search(target, { semantics: 'classic', bound: BOUND, budgetMs: 20_000, all: true });
      const t = performance.now() - t0;
      if (!naive.complete || !reduced.complete) {
        rows.push({
          measurement: `reduction ${path}`,
          value: naive.complete ? '-' : `>${(naive.schedules / reduced.schedules).toFixed(1)}`,
          unit: naive.complete ? '' : 'x',
          detail: `${naive.complete ? '' : 'naive'}${!naive.complete && !reduced.complete ? ' and ' : ''}${reduced.complete ? '' : 'reduced'} did not finish in 20 s (${naive.schedules} naive, ${reduced.schedules} reduced schedules)`,
        });
        continue;
      }
      naiveTotal += naive.schedules;
      reducedTotal += reduced.schedules;
      schedules += reduced.schedules;
      ms += t;
      rows.push({
        measurement: `reduction ${path}`,
        value: (naive.schedules / reduced.schedules).toFixed(1),
        unit: 'x',
        detail: `${naive.schedules} naive vs ${reduced.schedules} reduced schedules, bound ${BOUND}`,
      });
    }
    rows.push({
      measurement: 'reduction, whole example set',
      value: (naiveTotal / Math.max(1, reducedTotal)).toFixed(1),
      unit: 'x',
      detail: `${naiveTotal} naive vs ${reducedTotal} reduced schedules, bound ${BOUND}`,
    });
    rows.push({
      measurement: 'schedules per second (reduced, complete searches)',
      value: ((schedules * 1000) / Math.max(1, ms)).toFixed(0),
      unit: '/s',
      detail: `${schedules} schedules in ${(ms / 1000).toFixed(1)} s`,
    });
    return rows;
  },
};
