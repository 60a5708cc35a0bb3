#!/usr/bin/env node
// The benchmark driver: runs every `bench/*.bench.mjs` module (or those named on the command line) and prints one
// readable table. Benchmarks measure the built package in `dist/`, so `npm run bench` builds first.
//
// A bench module's default export is `{ name, run({ runs }) }`; `run` resolves to rows
// `{ measurement, value, unit, detail? }`. Figures are printed, never asserted: timing on shared machines is noise.
//
//   npm run bench                      # every module
//   npm run bench -- check --runs 21   # only modules whose name contains "check", 21 runs per figure

import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '11' }, help: { type: 'boolean', short: 'h' } },
  allowPositionals: true,
});
if (values.help) {
  process.stdout.write('Usage: node bench/run.mjs [--runs N] [NAME...]\n');
  process.exit(0);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench: --runs must be a positive integer, not ${values.runs}\n`);
  process.exit(2);
}

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort()
  .filter((f) => positionals.length === 0 || positionals.some((p) => f.includes(p)));
if (files.length === 0) {
  process.stderr.write('bench: no bench/*.bench.mjs module matches\n');
  process.exit(2);
}

process.stdout.write(
  `utrc benchmarks: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}, ` +
    `load ${os.loadavg()[0].toFixed(2)}, ${runs} runs per figure (medians)\n\n`,
);

const rows = [];
let failed = false;
for (const file of files) {
  const mod = (await import(pathToFileURL(here + file).href)).default;
  const name = mod?.name ?? file.replace(/\.bench\.mjs$/, '');
  process.stderr.write(`running ${name} …\n`);
  try {
    for (const row of await mod.run({ runs })) rows.push({ bench: name, ...row });
  } catch (error) {
    failed = true;
    rows.push({ bench: name, measurement: 'FAILED', value: '', unit: '', detail: String(error?.message ?? error) });
  }
}

const table = [['bench', 'measurement', 'value', 'detail']].concat(
  rows.map((r) => [r.bench, r.measurement, `${formatValue(r.value)} ${r.unit ?? ''}`.trim(), r.detail ?? '']),
);
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
const line = (r) =>
  r
    .map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
process.stdout.write(`${line(table[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
for (const r of table.slice(1)) process.stdout.write(`${line(r)}\n`);
process.exitCode = failed ? 1 : 0;

function formatValue(v) {
  if (typeof v !== 'number') return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
