/**
 * One program using every construct the code generator handles (value and status matches, nested maps, maps of
 * hists, lists, bytes, regs, durations, payload fields of every event, control parameters of every kind, events,
 * barrier, attach from both sides, await): its output type-checks, and it runs without a fault.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { typecheckModules } from '../../src/codegen/typecheck.js';
import { run, stateOf } from '../session/helpers.js';
import { buildSource } from './build.js';

const PATH = 'test/codegen/fixtures/kitchen_sink.utr';

test('the kitchen sink type-checks under tsc --strict', async () => {
  const modules = await buildSource(PATH, readFileSync(PATH, 'utf8'));
  expect(modules.map((m) => m.fileName)).toEqual(['sink.ts', 'helper.ts']);
  expect(typecheckModules(modules)).toEqual([]);
});

test('the kitchen sink runs, with every control argument parsed from the command line', async () => {
  const r = await run(PATH, {
    workload: 'shell',
    controls: ['sink.poke:-3,openat,SIGINT,5ms,true,100,hello@50us'],
  });
  expect(r.faults).toEqual([]);
  const st = stateOf(r, 'sink') as Record<string, unknown>;
  expect((st['names'] as string[]).length).toBeGreaterThan(0);
  expect(r.lines.some((l) => l === '-3 openat SIGINT 5ms true 100 hello')).toBe(true);
  expect(r.lines.some((l) => /^openat \[".*"\] \[\d+\] 0x[0-9a-f]+ \d+(ms|us) true \{1: \{.*\}\}$/.test(l))).toBe(true);
  expect(r.lines.some((l) => /^exit 0 x\d+/.test(l))).toBe(true);
  expect(st['reaps']).toBe(1n);
});
