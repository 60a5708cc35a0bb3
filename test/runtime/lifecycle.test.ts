// §3.4 the ways an engine gets detached, §5.5 death and reap ordering, clone/vfork, exec, exit codes.
import { describe, expect, it } from 'vitest';
import { Action, AttachFlags, CloneFlags, Event, type AnyEngine, type EngineOps } from '../../src/runtime/index.js';
import { target } from '../../src/runtime/sim/workload/builder.js';
import { attach, ofKind, preferDebuggers, program, recorder, sim, until } from './helpers.js';

const three = program((p) => p.syscall('getpid').auto().syscall('getppid').auto().syscall('gettid').auto());

describe('detach', () => {
  it('by return value: DETACH from a callback ends all callbacks; the engine is removed at the end of the pass', () => {
    const s = sim(three);
    const seen: string[] = [];
    const ops: EngineOps<null> = {
      ...recorder(seen, 'A'),
      reportSyscallEntry: (c) => (seen.push(`A:entry(${c.syscallNr()})`), Action.Detach),
    };
    const e = attach(
      s,
      s.initTask,
      ops,
      Event.Quiesce | Event.SyscallEntry | Event.SyscallExit | Event.Death | Event.Reap,
      null,
    );
    s.run();
    expect(seen).toEqual(['A:quiesce(64)', 'A:entry(39)']);
    expect(e.state).toBe('detached');
    const detach = ofKind(s.runtime.log.records, 'detach');
    expect(detach.map((d) => d.how)).toEqual(['reset']);
  });

  it('by return value: a DETACH return ignores the STOP an earlier callback set (the return is not applied)', () => {
    const s = sim(three);
    const e = attach(
      s,
      s.initTask,
      { reportQuiesce: () => Action.Stop, reportSyscallEntry: () => Action.Detach },
      Event.Quiesce | Event.SyscallEntry,
      null,
    );
    s.run();
    expect(e.state).toBe('detached');
    expect(s.liveTasks()).toEqual([]);
  });

  it('by reap: every engine still attached gets report_reap (if it has REAP) as its last callback and is detached', () => {
    const s = sim(three);
    const seen: string[] = [];
    const a = attach(s, s.initTask, recorder(seen, 'A'), Event.Death | Event.Reap, null);
    const b = attach(s, s.initTask, recorder(seen, 'B'), Event.Death, null);
    s.run();
    expect(seen).toEqual(['A:death', 'B:death', 'A:reap']);
    expect([a.state, b.state]).toEqual(['detached', 'detached']);
    expect(ofKind(s.runtime.log.records, 'detach').map((d) => `e${d.engine}:${d.how}`)).toEqual(['e1:reap', 'e2:reap']);
  });

  it('report_death returning DETACH means no report_reap for that engine', () => {
    const s = sim(three);
    const seen: string[] = [];
    attach(
      s,
      s.initTask,
      { ...recorder(seen, 'A'), reportDeath: () => (seen.push('A:death'), Action.Detach) },
      Event.Death | Event.Reap,
      null,
    );
    s.run();
    expect(seen).toEqual(['A:death']);
  });

  it('report_reap comes after report_death even when the reaper runs while report_death is still in progress', () => {
    const s = sim(
      program((p) => p.fork((c) => c.compute(100).exit(0)).wait()),
      { scheduler: preferDebuggers() },
    );
    const order: string[] = [];
    let child = 0;
    attach(s, s.initTask, { reportClone: (_c, _a, _f, kid) => ((child = kid), Action.Resume) }, Event.Clone, null);
    s.spawn('d', function* (ctl) {
      yield* until(() => child !== 0);
      const e = (yield* ctl.attach(
        child,
        AttachFlags.Create,
        {
          reportDeath: () => (order.push(`death(reap flag ${s.runtime.taskState(child)?.reap})`), Action.Resume),
          reportReap: () => void order.push('reap'),
        },
        null,
      )) as AnyEngine;
      yield* ctl.setEvents(e, Event.Death | Event.Reap);
      // Hold the dying child inside report_death's window until its parent has tried to reap it.
      yield* until(
        () =>
          s.runtime.taskState(child)?.point.callback === 'report_death' &&
          s.runtime.taskState(child)?.reporting !== null,
      );
      yield* until(() => s.runtime.taskState(child)?.reap === true);
    });
    s.run();
    // release_task came first (reap flag set) but the REAP report and teardown waited for report_death.
    expect(order).toEqual(['death(reap flag true)', 'reap']);
  });
});

describe('clone, vfork, exec', () => {
  it('report_clone runs in the parent before the child runs; the child can be attached there and stopped', () => {
    const s = sim(
      program((p) => p.fork((c) => c.syscall('getpid').auto().exit(0)).wait()),
      { scheduler: preferDebuggers() },
    );
    const childSeen: string[] = [];
    let childEngine: AnyEngine | null = null;
    attach(
      s,
      s.initTask,
      {
        reportClone(ctx, _a, flags, child) {
          expect(flags & CloneFlags.CLONE_VFORK).toBe(0n);
          expect(s.runState(child)).toBe('running');
          childEngine = ctx.runtime.attach(
            child,
            AttachFlags.Create,
            {
              ...recorder(childSeen, 'C'),
              reportQuiesce: (_c, _a, ev) => (
                childSeen.push(`C:quiesce(${ev})`),
                ev === 0 ? Action.Stop : Action.Resume
              ),
            },
            null,
          ) as AnyEngine;
          ctx.runtime.setEvents(childEngine, Event.Quiesce | Event.SyscallEntry);
          ctx.runtime.control(childEngine, Action.Stop);
          return Action.Resume;
        },
      },
      Event.Clone,
      null,
    );
    let stoppedBeforeFirstSyscall = false;
    s.spawn('d', function* (ctl) {
      yield* until(() => childEngine !== null);
      const r = yield* ctl.waitStopped(childEngine as AnyEngine, 1e6);
      stoppedBeforeFirstSyscall = r === 0 && !childSeen.some((x) => x.startsWith('C:entry'));
      yield* ctl.control(childEngine as AnyEngine, Action.Detach);
    });
    s.run();
    expect(stoppedBeforeFirstSyscall).toBe(true);
    expect(childSeen[0]).toBe('C:quiesce(0)');
  });

  it('a vfork parent does not return to user mode until the child execs', () => {
    const s = sim(
      program(
        (p) =>
          p
            .vfork((c) => c.compute(5000).exec('/bin/true', ['true'], 'true'))
            .syscall('getppid')
            .auto()
            .wait(),
        { true: (t) => t.exit(0) },
      ),
    );
    const seen: string[] = [];
    attach(s, s.initTask, recorder(seen, 'P'), Event.SyscallEntry, null);
    s.run();
    const times = ofKind(s.runtime.log.records, 'kernel');
    const exec = times.find((k) => k.what === 'exec');
    const parentNext = times.find((k) => k.task === s.initTask && k.detail.startsWith('getppid'));
    expect(exec && parentNext && parentNext.time >= exec.time).toBe(true);
  });

  it('report_exec gets the filename and argv; registers are readable there', () => {
    const s = sim(program((p) => p.exec('/usr/bin/env', ['env', '-i'], 'img'), { img: (i) => i.exit(0) }));
    const got: string[] = [];
    attach(
      s,
      s.initTask,
      { reportExec: (c, _a, ex) => (got.push(ex.filename, ...ex.argv, String(c.syscallNr())), Action.Resume) },
      Event.Exec,
      null,
    );
    s.run();
    // The old image's memory is gone (the path in rdi is not readable any more), as in the kernel.
    expect(got).toEqual(['/usr/bin/env', 'env', '-i', '59']);
  });

  it('report_exit may rewrite the exit code; orig_code keeps the real one', () => {
    const s = sim(program((p) => p.exit(3)));
    const seen: number[] = [];
    attach(
      s,
      s.initTask,
      { reportExit: (_c, _a, orig, code) => (seen.push(orig), (code.value = 7 << 8), Action.Resume) },
      Event.Exit,
      null,
    );
    s.run();
    expect(seen).toEqual([3 << 8]);
    expect(ofKind(s.runtime.log.records, 'kernel').find((k) => k.what === 'exit')?.detail).toBe('status 0x700');
  });

  it('death of a thread group: group_dead only for the last thread; threads reap themselves', () => {
    const s = sim(
      program((p) =>
        p
          .thread((t) => t.compute(100).exitThread(0), { exitWake: 'j' })
          .syscall('futex')
          .waitsOn('j')
          .exit(0),
      ),
    );
    const deaths: string[] = [];
    attach(
      s,
      s.initTask,
      {
        reportClone(ctx, _a, _f, child) {
          const e = ctx.runtime.attach(
            child,
            AttachFlags.Create,
            { reportDeath: (_c, g) => (deaths.push(`thread group_dead=${g}`), Action.Resume) },
            null,
          ) as AnyEngine;
          ctx.runtime.setEvents(e, Event.Death);
          return Action.Resume;
        },
        reportDeath: (_c, g) => (deaths.push(`leader group_dead=${g}`), Action.Resume),
      },
      Event.Clone | Event.Death,
      null,
    );
    s.run();
    expect(deaths).toEqual(['thread group_dead=false', 'leader group_dead=true']);
    expect(s.liveTasks()).toEqual([]);
  });

  it('a fatal signal kills the whole process; report_signal never sees SIGKILL', () => {
    const s = sim(
      program((p) =>
        p
          .thread((t) => t.syscall('pause').untilSignal())
          .compute(100)
          .kill(target.self, 'SIGKILL')
          .syscall('getpid')
          .auto(),
      ),
    );
    const seen: string[] = [];
    attach(s, s.initTask, recorder(seen, 'A'), Event.SignalTerm | Event.Death, null);
    s.run();
    expect(seen).toEqual(['A:death']);
    expect(s.liveTasks()).toEqual([]);
  });
});
