// `utrc run` and `utrc build` speed: a cold `run` (empty compiled-engine cache), a repeated `run` (cache hit) and a
// `build` of every example, next to bare Node in the same interleaved loop; then where the time of a cold run goes
// (module loading, front end, ts-morph, transpile, simulate, as `--timings` reports them) and the in-process
// phases of `build` (front end, ts-morph, prettier, transpile) over all examples.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.utr'))
  .map((f) => `examples/${f}`);

function node(args, env = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stderr: r.stderr };
}

/** `name 12.3ms` pairs from a `utrc: timings:` line. */
function timings(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('utrc: timings:')) ?? '';
  return Object.fromEntries([...line.matchAll(/([a-z][a-z ]*?) ([0-9.]+)ms/g)].map((m) => [m[1].trim(), Number(m[2])]));
}

export default {
  name: 'run-build',
  async run({ runs }) {
    const warmCache = mkdtempSync(join(tmpdir(), 'utrc-bench-warm-'));
    node(['bin/utrc.js', 'run', 'examples/syscount.utr'], { UTRC_CACHE_DIR: warmCache });
    const out = mkdtempSync(join(tmpdir(), 'utrc-bench-build-'));

    const t = { bare: [], cold: [], warm: [], build: [], imports: [] };
    const phases = [];
    for (let i = 0; i < runs; i++) {
      t.bare.push(node(['-e', '0']).ms);
      const fresh = mkdtempSync(join(tmpdir(), 'utrc-bench-cold-'));
      const cold = node(['bin/utrc.js', 'run', 'examples/syscount.utr', '--timings'], { UTRC_CACHE_DIR: fresh });
      t.cold.push(cold.ms);
      phases.push(timings(cold.stderr));
      rmSync(fresh, { recursive: true, force: true });
      t.warm.push(node(['bin/utrc.js', 'run', 'examples/syscount.utr'], { UTRC_CACHE_DIR: warmCache }).ms);
      t.build.push(node(['bin/utrc.js', 'build', ...examples, '-o', out, '-q']).ms);
    }
    // What loading the compiler costs on a cold run (the cache-hit path loads none of it).
    const loads = {};
    for (const [name, what] of [
      ['ts-morph + TypeScript', "await import('ts-morph')"],
      ['prettier (format)', "const p = await import('prettier'); await p.format('a', { parser: 'typescript' })"],
      ['compiler front end', "await import('./dist/frontend.js')"],
      ['runtime + simulator', "await import('./dist/runtime/sim/index.js')"],
    ]) {
      const xs = [];
      for (let i = 0; i < Math.min(runs, 5); i++) xs.push(node(['--input-type=module', '-e', what]).ms);
      loads[name] = median(xs) - median(t.bare);
    }
    rmSync(warmCache, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });

    // In-process phases of `build` over every example, after one warm-up pass.
    const { SourceFile } = await import('../dist/diagnostics/source.js');
    const { analyze } = await import('../dist/frontend.js');
    const { generate, formatModule } = await import('../dist/codegen/index.js');
    const { transpile } = await import('../dist/session/compile.js');
    const sources = examples.map((f) => new SourceFile(f, readFileSync(join(root, f), 'utf8')));
    const inproc = { 'front end': [], 'ts-morph': [], prettier: [], transpile: [] };
    for (let i = 0; i <= Math.min(runs, 5); i++) {
      const acc = { 'front end': 0, 'ts-morph': 0, prettier: 0, transpile: 0 };
      for (const s of sources) {
        let t0 = performance.now();
        const front = analyze(s);
        acc['front end'] += performance.now() - t0;
        t0 = performance.now();
        const mods = generate(front.checked, { version: 'bench' });
        acc['ts-morph'] += performance.now() - t0;
        for (const m of mods) {
          t0 = performance.now();
          await formatModule(m.text);
          acc.prettier += performance.now() - t0;
          t0 = performance.now();
          transpile(m.text);
          acc.transpile += performance.now() - t0;
        }
      }
      if (i > 0) for (const k of Object.keys(acc)) inproc[k].push(acc[k]);
    }

    const bare = median(t.bare);
    const over = (ms) => `+${(ms - bare).toFixed(0)} ms over bare Node`;
    const phase = (k) => median(phases.map((p) => p[k] ?? 0));
    const coldSplit = ['front end', 'codegen', 'transpile', 'load', 'simulate']
      .map((k) => `${k === 'codegen' ? 'ts-morph' : k} ${phase(k).toFixed(0)}`)
      .join(' + ');
    return [
      { measurement: 'node -e 0', value: bare, unit: 'ms', detail: 'bare Node start-up, same loop' },
      {
        measurement: 'cold: utrc run examples/syscount.utr',
        value: median(t.cold),
        unit: 'ms',
        detail: `${over(median(t.cold))}; aim < 1500 ms`,
      },
      { measurement: '  in the command', value: phase('total in command'), unit: 'ms', detail: `${coldSplit} ms` },
      ...Object.entries(loads).map(([k, v]) => ({
        measurement: `  loading ${k}`,
        value: v,
        unit: 'ms',
        detail: 'over bare Node',
      })),
      {
        measurement: 'repeated: utrc run (cache hit)',
        value: median(t.warm),
        unit: 'ms',
        detail: `${over(median(t.warm))}; aim within 300 ms of bare Node`,
      },
      {
        measurement: `cold: utrc build of ${examples.length} examples`,
        value: median(t.build),
        unit: 'ms',
        detail: over(median(t.build)),
      },
      {
        measurement: '  warm in-process build phases',
        value: Object.values(inproc).reduce((a, v) => a + median(v), 0),
        unit: 'ms',
        detail: Object.entries(inproc)
          .map(([k, v]) => `${k} ${median(v).toFixed(0)}`)
          .join(' + '),
      },
    ];
  },
};
