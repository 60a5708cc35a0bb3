/**
 * Generated code type-checks under `tsc --strict` (with `noUncheckedIndexedAccess` and `noImplicitOverride` too):
 * for every example, every racy example, and for programs fast-check generates from a grammar of well-typed
 * engines, including hostile state and control names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { typecheckModules } from '../../src/codegen/typecheck.js';
import { buildSource } from './build.js';
import { wellTypedProgram } from './programs.js';

describe('tsc --strict over generated code', () => {
  test('every example and racy example', async () => {
    const files = [
      ...readdirSync('examples')
        .filter((f) => f.endsWith('.utr'))
        .map((f) => `examples/${f}`),
      ...readdirSync('examples/racy')
        .filter((f) => f.endsWith('.utr'))
        .map((f) => `examples/racy/${f}`),
    ];
    expect(files.length).toBeGreaterThan(10);
    const modules = [];
    for (const [i, f] of files.entries()) {
      for (const m of await buildSource(f, readFileSync(f, 'utf8')))
        modules.push({ fileName: `ex${i}/${m.fileName}`, text: m.text });
    }
    expect(typecheckModules(modules)).toEqual([]);
  });

  test('fast-check generated well-typed programs', async () => {
    const programs = fc.sample(wellTypedProgram(), { numRuns: 30, seed: 4242 });
    const modules = [];
    for (const [i, text] of programs.entries()) {
      for (const m of await buildSource(`gen${i}.utr`, text))
        modules.push({ fileName: `gen${i}/${m.fileName}`, text: m.text });
    }
    expect(modules.length).toBeGreaterThanOrEqual(30);
    expect(typecheckModules(modules)).toEqual([]);
  });

  test('a type error in a module is reported (the check can fail)', () => {
    const problems = typecheckModules([
      { fileName: 'x.ts', text: 'import { Action } from "utrc/runtime";\nexport const n: string = Action.Stop;\n' },
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/not assignable to type 'string'/);
  });
});
