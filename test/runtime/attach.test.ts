// §3 of utrace-semantics: attach flags and errors, engine lifecycle, reference counting.
import { describe, expect, it } from 'vitest';
import { Action, AttachFlags, Event, Result, type AnyEngine, type EngineOps } from '../../src/runtime/index.js';
import { attach, program, recorder, sim } from './helpers.js';

const getpids = program((p) => p.repeat(3, (b) => b.syscall('getpid').auto()));

describe('attach (utrace_attach_task)', () => {
  it('a new engine has no events: no callback until setEvents', () => {
    const s = sim(getpids);
    const seen: string[] = [];
    const e = s.runtime.attach(s.initTask, AttachFlags.Create, recorder(seen, 'a'), null);
    expect(typeof e).toBe('object');
    expect((e as AnyEngine).flags).toBe(0);
    s.run();
    expect(seen).toEqual([]);
  });

  it('lookup without CREATE: -ENOENT on a task never attached, else the first matching engine with a ref', () => {
    const s = sim(getpids);
    const rt = s.runtime;
    const opsA: EngineOps<string> = {};
    const opsB: EngineOps<string> = {};
    expect(rt.attach(s.initTask, 0, opsA, 'x')).toBe(Result.ENOENT);
    const a = rt.attach(s.initTask, AttachFlags.Create, opsA, 'a') as AnyEngine;
    const b = rt.attach(s.initTask, AttachFlags.Create, opsB, 'b') as AnyEngine;
    expect(rt.attach(s.initTask, AttachFlags.MatchOps, opsB, 'zzz')).toBe(b);
    expect(rt.attach(s.initTask, AttachFlags.MatchData, opsA, 'b')).toBe(b);
    expect(rt.attach(s.initTask, AttachFlags.MatchOps | AttachFlags.MatchData, opsA, 'b')).toBe(Result.ENOENT);
    // No MATCH flag: the first live engine.
    expect(rt.attach(s.initTask, 0, null, null)).toBe(a);
  });

  it('EXCLUSIVE fails with -EEXIST when a matching engine exists; without MATCH flags any engine matches', () => {
    const s = sim(getpids);
    const rt = s.runtime;
    const ops: EngineOps<null> = {};
    const excl = AttachFlags.Create | AttachFlags.Exclusive;
    expect(typeof rt.attach(s.initTask, excl | AttachFlags.MatchOps, ops, null)).toBe('object');
    expect(rt.attach(s.initTask, excl | AttachFlags.MatchOps, ops, null)).toBe(Result.EEXIST);
    expect(typeof rt.attach(s.initTask, excl | AttachFlags.MatchOps, {}, null)).toBe('object');
    expect(rt.attach(s.initTask, excl, {}, null)).toBe(Result.EEXIST);
  });

  it('CREATE with null ops is -EINVAL; an unknown task is -ESRCH', () => {
    const s = sim(getpids);
    expect(s.runtime.attach(s.initTask, AttachFlags.Create, null, null)).toBe(Result.EINVAL);
    expect(s.runtime.attach(99999, AttachFlags.Create, {}, null)).toBe(Result.ESRCH);
  });

  it('a reaped task cannot be attached (-ESRCH)', () => {
    const s = sim(getpids);
    s.run();
    expect(s.runtime.attach(s.initTask, AttachFlags.Create, {}, null)).toBe(Result.ESRCH);
  });

  it('an engine attached by a callback during a pass gets no callback for that event', () => {
    const s = sim(program((p) => p.syscall('getpid').auto().syscall('getppid').auto()));
    const seen: string[] = [];
    let attached = false;
    attach(
      s,
      s.initTask,
      {
        reportSyscallEntry(ctx) {
          if (!attached) {
            attached = true;
            const late = ctx.runtime.attach(ctx.task, AttachFlags.Create, recorder(seen, 'late'), null);
            ctx.runtime.setEvents(late as AnyEngine, Event.SyscallEntry);
          }
          return Action.Resume;
        },
      },
      Event.SyscallEntry,
      null,
    );
    s.run();
    // getpid (39) was in progress when `late` attached; it sees only getppid (110) and exit_group (231).
    expect(seen).toEqual(['late:entry(110)', 'late:entry(231)']);
  });

  it('release runs at the last put, after the engine is detached', () => {
    const s = sim(getpids);
    const released: string[] = [];
    const e = attach(s, s.initTask, { release: (d: string) => released.push(d) }, Event.Quiesce, 'cookie');
    s.runtime.engineGet(e as AnyEngine);
    expect(s.runtime.control(e as AnyEngine, Action.Detach)).toBe(0);
    s.run();
    expect(e.state).toBe('detached');
    expect(released).toEqual([]);
    s.runtime.enginePut(e as AnyEngine);
    expect(released).toEqual([]);
    s.runtime.enginePut(e as AnyEngine);
    expect(released).toEqual(['cookie']);
  });
});
