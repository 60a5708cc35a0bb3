/**
 * Debugger activity beyond "each control once": a control invoked several times per schedule, controls with
 * arguments (`--control ENGINE.NAME:ARGS`), and their schedules replayed exactly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRecord } from '../../src/runtime/log.js';
import { explore } from '../../src/explore/explore.js';
import { replay } from '../../src/explore/replay.js';
import { scheduleFromJson, scheduleToJson } from '../../src/explore/schedule.js';
import { compile } from '../session/helpers.js';
import { utrc } from '../cli/helpers.js';
import { targetOf } from './helpers.js';

const COUNTER = [
  'arch x86_64',
  'engine e {',
  '  state n: int = 0',
  '  control bump do set n = n + 1',
  '  control put(v: int) do set n = v',
  '  control check do assert n < 2, "n reached 2"',
  '}',
  '',
].join('\n');

describe('repeated and parameterised debugger activity', () => {
  it('finds a violation that needs a control to run twice, and only with two invocations', async () => {
    const { target, lines, workload } = await targetOf('counter.utr', COUNTER, 'blocked-read');
    const options = { semantics: ['classic' as const], bound: 1, budgetMs: 20_000, workloadName: workload, lines };
    const once = await explore({ ...target, invocations: 1 }, { ...options, file: 'counter.utr' });
    expect(once.counterexamples).toEqual([]);
    expect(once.searches[0]?.complete).toBe(true);
    const twice = await explore({ ...target, invocations: 2 }, { ...options, file: 'counter.utr' });
    const found = twice.counterexamples[0];
    if (!found) throw new Error('no counterexample with two invocations');
    expect(found.violation.message).toContain('n reached 2');
    expect(found.schedule.invocations).toBe(2);
    // The schedule carries the invocations: it replays to the same violation, byte for byte the same log.
    const dir = mkdtempSync(join(tmpdir(), 'utrc-activity-'));
    writeFileSync(join(dir, 'counter.utr'), COUNTER);
    const program = await compile(join(dir, 'counter.utr'), COUNTER);
    const schedule = scheduleFromJson(scheduleToJson(found.schedule));
    const a = await replay(schedule, program);
    const b = await replay(schedule, program);
    expect(a.violations.map((v) => v.message)).toContainEqual(expect.stringContaining('n reached 2'));
    expect(a.log.map(formatRecord).join('\n')).toBe(b.log.map(formatRecord).join('\n'));
  }, 60_000);

  it('invokes a control with the arguments given, at a time the explorer picks', async () => {
    const text = [
      'arch x86_64',
      'engine e {',
      '  state n: int = 0',
      '  control put(v: int) do set n = v',
      '  control check do assert n != 7, "n is 7"',
      '}',
      '',
    ].join('\n');
    const { target, lines, workload } = await targetOf('put.utr', text, 'blocked-read');
    const options = { semantics: ['classic' as const], bound: 1, budgetMs: 20_000, workloadName: workload, lines };
    const small = await explore({ ...target, controls: [...target.controls, 'e.put:1'] }, { ...options, file: 'c' });
    expect(small.counterexamples).toEqual([]);
    const big = await explore({ ...target, controls: [...target.controls, 'e.put:7'] }, { ...options, file: 'c' });
    expect(big.counterexamples.map((c) => c.violation.invariant)).toEqual(['engine-exception']);
    expect(big.counterexamples[0]?.schedule.controls).toContain('e.put:7');
  }, 60_000);

  it('refuses a --control with a time, an unknown control or a bad argument, in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utrc-activity-cli-'));
    const file = join(dir, 'counter.utr');
    writeFileSync(file, COUNTER);
    const env = { UTRC_CACHE_DIR: join(dir, 'cache') };
    const timed = utrc(['explore', file, '--control', 'e.put:7@5ms'], { env });
    expect(timed.status).toBe(2);
    expect(timed.stderr).toContain('the explorer picks the time');
    const unknown = utrc(['explore', file, '--control', 'e.nope'], { env });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no control `nope`');
    const bad = utrc(['explore', file, '--control', 'e.put:seven'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const zero = utrc(['explore', file, '--invocations', '0'], { env });
    expect(zero.status).toBe(2);
    expect(zero.stderr).toContain('--invocations');
  }, 60_000);
});
