/** `utrc run --trace` as a user reads it: a `--control NAME@TIME` starts at TIME in the event log. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { utrc } from './helpers.js';

const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-run-trace-')) };

describe('utrc run --trace with scheduled controls', () => {
  it('shows each control starting at its time, and nothing of how the session schedules it', () => {
    const program = 'engine e {\n  control ping() do emit "ping"\n  on exit(x) do resume\n}\n';
    const r = utrc(['run', '-e', program, '--workload', 'busy-loop', '--control', 'ping@10us', '--trace'], { env });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => / debugger /.test(l))).toEqual([
      '[    10.000us] debugger e: control ping start',
      '[    10.000us] debugger e: control ping end',
    ]);
    // It runs where the log says it does: after the workload's first 10us, not before its first syscall.
    expect(lines.indexOf('[    10.000us] debugger e: control ping start')).toBeGreaterThan(
      lines.findIndex((l) => / task 100 syscall /.test(l)),
    );
  });
});
