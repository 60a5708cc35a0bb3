// Race rules speed: on a generated 10,000-line file with 200 engines, the time of the race rules (engine model +
// every rule) next to the front end alone (parse + type check) in the same run, the cost of each rule, how the
// rules scale with file size (they should be near-linear), and a path-heavy engine that hits the path cap. The
// model is most of the rules' time, and most of its cost is the garbage collector moving it, so its size is shown.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { generateSource } from './check.bench.mjs';
import { median } from './lib/stats.mjs';

/**
 * What building the model costs in memory: the bytes it allocates (heap growth over builds no collection ran in),
 * the bytes a finished model keeps (heap growth while 8 models are held, after full collections; only when `gc` is
 * exposed), and the garbage-collection pauses per build over many builds.
 */
async function modelMemory(build, runs) {
  const pauses = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, duration: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows = [];
  const builds = Math.max(20, runs * 2);
  const t0 = performance.now();
  for (let i = 0; i < builds; i++) {
    const h0 = getHeapStatistics().used_heap_size;
    const a = performance.now();
    build();
    windows.push({ start: a, end: performance.now(), bytes: getHeapStatistics().used_heap_size - h0 });
  }
  const t1 = performance.now();
  await sleep(0);
  observer.disconnect();
  const inRun = pauses.filter((g) => g.start >= t0 && g.start < t1);
  const clean = windows.filter((w) => !inRun.some((g) => g.start >= w.start && g.start < w.end)).map((w) => w.bytes);
  const allocated = clean.length > 0 ? median(clean) : Number.NaN;
  let kept;
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    const h0 = getHeapStatistics().used_heap_size;
    const held = Array.from({ length: 8 }, () => build());
    globalThis.gc();
    kept = (getHeapStatistics().used_heap_size - h0) / held.length;
  }
  return { allocated, kept, pauseMs: inRun.reduce((sum, g) => sum + g.duration, 0) / builds, builds };
}

/** An engine whose control code has `n` independent `if`s on boolean state: 2^n paths before the cap. */
function pathHeavy(n) {
  const states = Array.from({ length: n }, (_, i) => `  state f${i}: bool = false\n  state c${i}: int = 0\n`).join('');
  const ifs = Array.from(
    { length: n },
    (_, i) => `    if f${i} { set c${i} = 1 } else { set c${i} = 2 }\n    then`,
  ).join('\n');
  return `engine heavy {
${states}  on syscall_entry(call) do c0 += 1 then resume
  on quiesce when f0 do stop
  on quiesce do resume
  control go do
${ifs} stop match { stopped => resume  pending => nothing  gone => nothing }
}
`;
}

export default {
  name: 'races',
  async run({ runs }) {
    const { SourceFile } = await import('../dist/diagnostics/source.js');
    const { parse } = await import('../dist/parser/index.js');
    const { check } = await import('../dist/checker/index.js');
    const { lintRaces, RULES } = await import('../dist/checker/rules/index.js');
    const { buildFileModel } = await import('../dist/checker/analysis/model.js');
    const rows = [];

    const time = (f) => {
      for (let i = 0; i < 2; i++) f();
      const t = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        f();
        t.push(performance.now() - t0);
      }
      return median(t);
    };

    // The acceptance figure: 10,000 lines, 200 engines; front end vs race rules, measured in the same run.
    const text = generateSource(10_000, 'many');
    const source = new SourceFile('bench.utr', text);
    const lines = text.split('\n').length - 1;
    const parsed = parse(source);
    const checked = check(parsed, { source });
    const engines = checked.engines.length;
    const findings = lintRaces(checked).length;
    const frontMs = time(() => check(parse(source), { source }));
    const modelMs = time(() => buildFileModel(checked));
    const rulesMs = time(() => lintRaces(checked));
    rows.push({
      measurement: 'front end (parse + check)',
      value: frontMs,
      unit: 'ms',
      detail: `${lines} lines, ${engines} engines`,
    });
    rows.push({
      measurement: 'race rules (model + all rules)',
      value: rulesMs,
      unit: 'ms',
      detail: `${(rulesMs / frontMs).toFixed(2)}x the front end; model ${modelMs.toFixed(1)} ms; ${findings} findings`,
    });
    const gc = await modelMemory(() => buildFileModel(checked), runs);
    rows.push({
      measurement: '  model allocation per build',
      value: Number.isNaN(gc.allocated) ? '' : gc.allocated / 1e6,
      unit: Number.isNaN(gc.allocated) ? '' : 'MB',
      detail:
        (Number.isNaN(gc.allocated) ? 'a collection ran during every build; ' : '') +
        (gc.kept === undefined
          ? 'kept: run with node --expose-gc'
          : `keeps ${(gc.kept / 1e6).toFixed(1)} MB once built`) +
        `; GC pauses ${gc.pauseMs.toFixed(1)} ms per build (mean over ${gc.builds} builds)`,
    });

    // Each rule alone, on a model built once (what lintRaces shares between the rules).
    const model = buildFileModel(checked);
    const ctx = { file: model, source, text: (sp) => text.slice(sp.start, sp.end), report() {} };
    for (const rule of RULES) {
      const ms = time(() => {
        for (const engine of model.engines) rule.check(engine, ctx);
      });
      rows.push({ measurement: `  ${rule.meta.code} ${rule.meta.name}`, value: ms, unit: 'ms', detail: '' });
    }

    // Scaling: time per 1,000 lines should stay flat as the file grows.
    for (const size of [2_500, 5_000, 10_000, 20_000]) {
      const src = new SourceFile('scale.utr', generateSource(size, 'many'));
      const c = check(parse(src), { source: src });
      const n = src.text.split('\n').length - 1;
      const ms = time(() => lintRaces(c));
      rows.push({
        measurement: `rules on ${n} lines`,
        value: (ms / n) * 1000,
        unit: 'ms/kline',
        detail: `${ms.toFixed(1)} ms total`,
      });
    }

    // Worst case for path enumeration: 2^n paths, cut at the cap (MAX_PATHS) so the time stays bounded.
    for (const n of [8, 11, 14]) {
      const src = new SourceFile('heavy.utr', pathHeavy(n));
      const c = check(parse(src), { source: src });
      const ms = time(() => lintRaces(c));
      rows.push({
        measurement: `path-heavy control, ${n} ifs`,
        value: ms,
        unit: 'ms',
        detail: `${2 ** n} paths before the cap`,
      });
    }
    return rows;
  },
};
