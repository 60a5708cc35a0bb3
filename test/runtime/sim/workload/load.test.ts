import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinWorkload } from '../../../../src/runtime/sim/workload/builtin.js';
import { WorkloadError } from '../../../../src/runtime/sim/workload/errors.js';
import { workloadToJson } from '../../../../src/runtime/sim/workload/json.js';
import { loadWorkloadText } from '../../../../src/runtime/sim/workload/load.js';

describe('loadWorkloadText', () => {
  it('reads workload JSON', () => {
    const w = builtinWorkload('threads');
    expect(loadWorkloadText(workloadToJson(w, 2), 'threads.json')).toEqual({ workload: w, kind: 'json', warnings: [] });
  });

  it('imports an strace log, naming the workload after the file', () => {
    const text = readFileSync(new URL('../../../fixtures/strace/ls-R.log', import.meta.url), 'utf8');
    const r = loadWorkloadText(text, 'logs/ls-R.log');
    expect(r.kind).toBe('strace');
    expect(r.workload.name).toBe('ls-R');
    expect(r.workload.source).toEqual({ kind: 'strace', file: 'logs/ls-R.log' });
    expect(r.warnings).toEqual([]);
  });

  it('formats an importer warning with the file and line', () => {
    const r = loadWorkloadText('1 10:00:00.000000 getpid() = 1\n1 10:00:00.000001 ???\n', 'x.log');
    expect(r.warnings).toEqual(['x.log:2: skipped: not a syscall, signal or exit line: 1 10:00:00.000001 ???']);
  });

  it('refuses text that is neither, naming the first unreadable line', () => {
    expect(() => loadWorkloadText('hello\nworld\n', 'notes.txt')).toThrow(WorkloadError);
    expect(() => loadWorkloadText('hello\nworld\n', 'notes.txt')).toThrow(
      '`notes.txt` is neither a workload JSON file nor an strace log (notes.txt:1: skipped: not a syscall, signal or exit line: hello)',
    );
  });

  it('refuses a JSON workload that is well shaped but not runnable', () => {
    const w = builtinWorkload('busy-loop');
    const broken = { ...w, init: { ...w.init, program: 'nope' } };
    expect(() => loadWorkloadText(workloadToJson(broken), 'w.json')).toThrow(
      /init\.program: program `nope` does not exist/,
    );
  });
});
