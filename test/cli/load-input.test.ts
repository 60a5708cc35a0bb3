/**
 * `utrc run` and `utrc explore` read, compile and refuse their one program the same way (src/cli/load-input.ts):
 * the same messages and exit statuses for errors in the source, no engine, bad numbers and too many files.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, utrc } from './helpers.js';

const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-load-input-')) };
const BROKEN = 'engine e { on syscall_entry do set nope = 1 then resume }';

describe('one program for run and explore', () => {
  it('errors in the source exit 1 with the diagnostics and say nothing ran', () => {
    for (const [verb, nothing] of [
      ['run', 'nothing runs'],
      ['explore', 'nothing explored'],
    ] as const) {
      const r = utrc([verb, '-e', BROKEN], { env });
      expect(r.status, verb).toBe(1);
      expect(r.stderr).toContain('error[UTR2011]: cannot find `nope` in this scope');
      expect(r.stderr).toContain(`utrc: <-e> has errors; ${nothing}\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('a program without an engine exits 1 in both', () => {
    for (const verb of ['run', 'explore']) {
      const r = utrc([verb, '-e', '# nothing here\n'], { env });
      expect(r.status, verb).toBe(1);
      expect(r.stderr).toBe(`utrc: <-e> declares no engine: nothing to ${verb}\n`);
    }
  });

  it('explore reads a program from standard input, as run does', () => {
    const program = 'engine e { on syscall_entry do resume }\n';
    const r = utrc(['explore', '-', '--budget', '2'], { env, input: program });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<stdin>: classic: no violation/);
  });

  it('numeric options are refused in one line, in the same words by both verbs', () => {
    for (const verb of ['run', 'explore']) {
      const r = utrc([verb, 'examples/syscount.utr', '--seed', '1.5'], { env });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('utrc: `--seed` must be an integer from 0 to 4294967295, not `1.5`\n');
    }
    const bound = utrc(['explore', 'examples/syscount.utr', '--bound', '101'], { env });
    expect(bound.stderr).toBe('utrc: `--bound` must be an integer from 0 to 100, not `101`\n');
    const budget = utrc(['explore', 'examples/syscount.utr', '--budget', '0'], { env });
    expect(budget.stderr).toBe('utrc: `--budget` must be a number of seconds above 0 and at most 86400, not `0`\n');
    const scale = utrc(['run', 'examples/syscount.utr', '--scale', '-2'], { env });
    expect(scale.status).toBe(2);
    expect(hasStackTrace(scale.stderr)).toBe(false);
  });

  it('one file only, a missing file is one line, and an unknown engine names the ones there are', () => {
    const two = utrc(['explore', 'examples/syscount.utr', 'examples/opens.utr'], { env });
    expect(two.status).toBe(2);
    expect(two.stderr).toBe('utrc: `utrc explore` takes one .utr file, got 2\n');
    const missing = utrc(['explore', 'no-such.utr'], { env });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('utrc: cannot read `no-such.utr`: no such file\n');
    const engine = utrc(['explore', 'examples/syscount.utr', '--engine', 'nope'], { env });
    expect(engine.status).toBe(2);
    expect(engine.stderr).toMatch(/^utrc: no engine `nope` in examples\/syscount\.utr \(it has `syscount`\)\n$/);
  });
});
