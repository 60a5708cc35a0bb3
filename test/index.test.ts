import { describe, expect, it } from 'vitest';
import * as utrc from '../src/index.js';

describe('the public API', () => {
  it('checks a source end to end and renders the result in every format', () => {
    const source = new utrc.SourceFile('count.utr', 'engine count {\n  on syscall_entry do cals += 1 then resume\n}\n');
    const result = utrc.analyze(source);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['UTR2011']);
    const sources = new Map([[source.path, source]]);
    expect(utrc.renderDiagnostics(result.diagnostics, sources)).toContain(' --> count.utr:2:23');
    expect(utrc.toJsonReport(result.diagnostics, sources).summary).toEqual({
      errors: 1,
      warnings: 0,
      infos: 0,
      files: 1,
    });
    expect(utrc.toSarif(result.diagnostics, sources).runs[0]?.results).toHaveLength(1);
  });

  it('exposes the phases, the rule catalogue and the tables a tool builds on', () => {
    const source = new utrc.SourceFile('s.utr', 'engine s { on quiesce do resume }');
    const parsed = utrc.parse(source);
    const checked = utrc.check(parsed, { source, arch: 'aarch64' });
    expect(checked.arch.name).toBe('aarch64');
    expect(utrc.lintRaces(checked)).toEqual([]);
    expect(utrc.findRule('callback-clears-async-stop')?.meta.code).toBe('UTR3002');
    expect(utrc.RULES.length).toBeGreaterThan(0);
    expect(utrc.EVENT_NAMES).toContain('quiesce');
    expect(utrc.ARCH_NAMES).toEqual(['x86_64', 'aarch64']);
  });
});
