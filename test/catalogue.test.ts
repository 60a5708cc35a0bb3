import { describe, expect, it } from 'vitest';
import { allDiagnosticKinds } from '../src/catalogue.js';
import { codeNumber, PHASE_RANGES } from '../src/diagnostics/catalogue.js';
import { RUN_FAULT_CODE } from '../src/session/output.js';

describe('the one catalogue of diagnostic codes', () => {
  const kinds = allDiagnosticKinds();

  it('gives every code and every name to one kind only, across all phases', () => {
    const codes = kinds.map((k) => k.code);
    const names = kinds.map((k) => k.name);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('keeps every code inside its phase range', () => {
    for (const k of kinds) {
      const [lo, hi] = PHASE_RANGES[k.phase];
      expect(codeNumber(k.code), `${k.code} (${k.phase})`).toBeGreaterThanOrEqual(lo);
      expect(codeNumber(k.code), `${k.code} (${k.phase})`).toBeLessThanOrEqual(hi);
    }
  });

  it('covers the phases that report, including run-time faults', () => {
    const phases = new Set(kinds.map((k) => k.phase));
    expect([...phases].sort()).toEqual(['race', 'run', 'semantic', 'syntax']);
    expect(kinds.some((k) => k.code === RUN_FAULT_CODE)).toBe(true);
  });
});
