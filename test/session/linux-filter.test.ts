/**
 * The seccomp filter of a Linux run, chosen from the checked program: only the syscalls every syscall handler is
 * limited to stop, and one handler that is not limited means every syscall stops.
 */
import { describe, expect, test } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/parser/index.js';
import { chooseFilter } from '../../src/session/linux-filter.js';

function filterOf(body: string, engines = ['e']): ReturnType<typeof chooseFilter> {
  const source = new SourceFile('t.utr', `arch x86_64\nengine e {\n  state n: count\n${body}\n}\n`);
  const checked = check(parse(source), { source });
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return chooseFilter(checked, engines);
}

describe('chooseFilter', () => {
  test('handlers guarded by `call.nr in {…}` and `==` stop only those syscalls', () => {
    expect(
      filterOf(`  on syscall_entry(call) when call.nr in {openat, read} do n += 1 then resume
  on syscall_exit(call) when call.nr == write do n += 1 then resume`),
    ).toEqual({ mode: 'filter', numbers: [0, 1, 257], names: ['read', 'write', 'openat'] });
  });

  test('`and` narrows with either side; `or` needs both sides bounded', () => {
    expect(filterOf('  on syscall_exit(call) when call.ret < 0 and call.nr == close do n += 1 then resume')).toEqual({
      mode: 'filter',
      numbers: [3],
      names: ['close'],
    });
    expect(
      filterOf('  on syscall_exit(call) when call.nr == close or call.nr in {dup, dup2} do n += 1 then resume'),
    ).toMatchObject({ mode: 'filter', names: ['close', 'dup', 'dup2'] });
    expect(
      filterOf('  on syscall_exit(call) when call.nr == close or call.ret < 0 do n += 1 then resume'),
    ).toMatchObject({ mode: 'all' });
  });

  test('one handler not limited to named syscalls stops every syscall, and says which', () => {
    const f = filterOf(`  on syscall_entry(call) when call.nr == openat do n += 1 then resume
  on syscall_exit(call) do n += 1 then resume`);
    expect(f).toEqual({
      mode: 'all',
      reason: "engine `e`'s `on syscall_exit` handler (line 5) is not limited to named syscalls",
    });
  });

  test('no syscall handler: no syscall stops', () => {
    expect(filterOf('  on exec(x) do n += 1 then resume')).toEqual({ mode: 'none' });
  });

  test('engines the run does not involve do not count', () => {
    expect(filterOf('  on syscall_entry(call) do n += 1 then resume', [])).toEqual({ mode: 'none' });
  });
});
