// The event log is the product behind `--trace` and the explorer's output: its text form is pinned here.
import { describe, expect, it } from 'vitest';
import { Action, Event, formatRecord, recordToJson, type AnyEngine } from '../../src/runtime/index.js';
import { attach, preferDebuggers, program, sim, until } from './helpers.js';

function demo(): ReturnType<typeof sim> {
  const s = sim(
    program((p) => p.syscall('getppid').auto()),
    { scheduler: preferDebuggers() },
  );
  let n = 0;
  const e = attach(
    s,
    s.initTask,
    { reportSyscallEntry: (c) => (c.emit(`nr ${c.syscallNr()}`), n++ === 0 ? Action.Stop : Action.Resume) },
    Event.SyscallEntry,
    null,
    'demo',
  ) as AnyEngine;
  s.spawn('cont', function* (ctl) {
    yield* until(() => s.runState(s.initTask) === 'traced');
    yield* ctl.control(e, Action.Resume);
  });
  s.run();
  return s;
}

describe('event log', () => {
  it('records every report, callback, return, call, stop, wake and output, with virtual time', () => {
    expect(demo().runtime.log.records.map(formatRecord)).toEqual([
      '[     0.000us] policy classic backend sim',
      '[     0.000us] task 100 attach e1 demo',
      '[     0.000us] host: attach(e1@100, 0x10) = 0',
      '[     0.000us] host: setEvents(e1@100, SYSCALL_ENTRY) = 0',
      '[     0.000us] debugger cont start',
      '[     0.000us] task 100 syscall getppid nr 110',
      '[     0.000us] task 100 report SYSCALL_ENTRY',
      '[     0.000us] task 100 e1 report_syscall_entry(RESUME)',
      '[     0.000us] task 100 e1 emit nr 110',
      '[     0.000us] task 100 e1 report_syscall_entry -> STOP',
      '[     0.000us] task 100 stop (utrace)',
      '[     0.000us] task 100 wake (reset)',
      '[     0.000us] debugger cont: control(e1@100, RESUME) = 0',
      '[     0.000us] debugger cont end',
      '[     0.100us] task 100 syscall exit_group nr 231',
      '[     0.100us] task 100 report SYSCALL_ENTRY',
      '[     0.100us] task 100 e1 report_syscall_entry(RESUME)',
      '[     0.100us] task 100 e1 emit nr 231',
      '[     0.100us] task 100 e1 report_syscall_entry -> RESUME',
      '[     0.100us] task 100 exit status 0x0',
      '[     0.100us] task 100 reap',
      '[     0.100us] task 100 report REAP',
      '[     0.100us] task 100 detached e1 (reap)',
    ]);
  });

  it('has a JSON-lines form with sequence numbers', () => {
    const s = demo();
    const lines = s.runtime.log.records.map(recordToJson);
    expect(JSON.parse(lines[0] as string)).toEqual({
      seq: 0,
      time: 0,
      kind: 'policy',
      policy: 'classic',
      backend: 'sim',
    });
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(lines.map((_, i) => i));
  });

  it('costs nothing when nobody keeps or listens (no records are built)', () => {
    const s = sim(
      program((p) => p.syscall('getpid').auto()),
      { keepLog: false },
    );
    expect(s.runtime.log.enabled).toBe(false);
    s.run();
    expect(s.runtime.log.records).toEqual([]);
  });

  it('streams records to a listener without keeping them', () => {
    const s = sim(
      program((p) => p.syscall('getpid').auto()),
      { keepLog: false },
    );
    const kinds: string[] = [];
    s.runtime.log.listen((r) => kinds.push(r.kind));
    s.run();
    expect(s.runtime.log.records).toEqual([]);
    expect(kinds).toContain('kernel');
  });
});
