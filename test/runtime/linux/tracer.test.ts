/**
 * The ptrace layer on real processes, driven synchronously on the test's own thread (the tracer thread here).
 * Each test starts a small C program (programs/*.c) and checks what a user of strace or gdb would check.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X86_64 } from '../../../src/arch/index.js';
import { Tracer, TraceError } from '../../../src/runtime/linux/index.js';
import type { ResumeOptions, SyscallSelection, TraceEvent } from '../../../src/runtime/linux/index.js';
import {
  buildPrograms,
  countsByName,
  finishTracer,
  formatCounts,
  killIfAlive,
  procState,
  reapChild,
  requireBuild,
  straceCounts,
  tempDir,
  tracerOf,
  waitFor,
} from './helpers.js';
import type { ProgramName } from './helpers.js';

const NR = X86_64.syscalls;
let programs: Record<ProgramName, string>;
const tracers: Tracer[] = [];
const temps: { remove: () => void }[] = [];
const detachedRoots: number[] = [];

beforeAll(() => {
  requireBuild();
  programs = buildPrograms();
});

afterEach(() => {
  for (const tracer of tracers.splice(0)) finishTracer(tracer);
  // Commands a test detached from are no tracer's business any more: make sure none outlives a failed test.
  for (const pid of detachedRoots.splice(0)) killIfAlive(pid);
  for (const temp of temps.splice(0)) temp.remove();
});

function tracer(syscalls: SyscallSelection = { mode: 'all' }): Tracer {
  const t = new Tracer({ syscalls });
  tracers.push(t);
  return t;
}

/** Runs to the end, resuming every stop with `decide(event)` (default: plain resume), and records the events. */
function runAll(t: Tracer, decide: (e: TraceEvent) => ResumeOptions | undefined = () => undefined) {
  const events: TraceEvent[] = [];
  const summary = t.run({
    onEvent(event) {
      events.push(event);
      if (event.kind !== 'death' && event.kind !== 'detached') t.resume(event.tid, decide(event) ?? {});
    },
  });
  return { events, summary };
}

/** Counts completed syscalls, at their exits, as `strace -c` does (so exit and exit_group never appear). */
function countSyscalls(events: TraceEvent[]) {
  const counts: Record<number, { calls: number; errors: number }> = {};
  for (const e of events) {
    if (e.kind !== 'syscall-exit' || e.nr < 0) continue;
    const entry = (counts[e.nr] ??= { calls: 0, errors: 0 });
    entry.calls++;
    if (e.error !== 0) entry.errors++;
  }
  return countsByName(counts);
}

function captureStdout(): { fd: number; read: () => string } {
  const temp = tempDir();
  temps.push(temp);
  const path = join(temp.path, 'stdout');
  const fd = openSync(path, 'w');
  return {
    fd,
    read: () => {
      closeSync(fd);
      return readFileSync(path, 'utf8');
    },
  };
}

describe('syscall counts match strace -f -c', () => {
  it('on a busy syscall loop', () => {
    const command = [programs.busy, '2000'];
    const t = tracer();
    t.spawn({ command, stdio: [0, openSync('/dev/null', 'w'), 2] });
    const ours = countSyscalls(runAll(t).events);
    expect(ours.get('getpid')).toEqual({ calls: 2000, errors: 0 });
    expect(formatCounts(ours)).toEqual(formatCounts(straceCounts(command)));
  });

  it('on a shell pipeline with forks and execs', () => {
    const command = ['/bin/sh', '-c', `${programs.exec_chain} 2; ls / | wc -l > /dev/null`];
    const t = tracer();
    t.spawn({ command });
    const ours = countSyscalls(runAll(t).events);
    expect(ours.get('execve')?.calls).toBe(6);
    // wait4 may see the pipeline's children still running and be restarted a varying number of times.
    const omit = ['wait4', 'rt_sigreturn', 'restart_syscall'];
    expect(formatCounts(ours, omit)).toEqual(formatCounts(straceCounts(command), omit));
  });

  it('on a threaded program that forks', () => {
    const command = [programs.threads_fork];
    const t = tracer();
    t.spawn({ command });
    const ours = countSyscalls(runAll(t).events);
    expect(ours.get('getppid')?.calls).toBe(25);
    // Whether pthread_join has to wait (futex) depends on scheduling, in strace's run as in ours.
    const omit = ['futex', 'wait4'];
    expect(formatCounts(ours, omit)).toEqual(formatCounts(straceCounts(command), omit));
  });
});

describe('tasks', () => {
  it('follows new threads and fork children: clone before start, and their exits', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.threads_fork] });
    const { events, summary } = runAll(t);
    expect(summary.rootStatus).toEqual({ code: 0 });
    const clones = events.filter((e) => e.kind === 'clone');
    expect(clones.map((e) => e.how)).toEqual(['thread', 'thread', 'fork']);
    for (const clone of clones) {
      const cloneAt = events.indexOf(clone);
      const startAt = events.findIndex((e) => e.kind === 'start' && e.tid === clone.child);
      expect(startAt).toBeGreaterThan(cloneAt);
      const start = events[startAt];
      expect(start?.kind === 'start' && start.parent).toBe(root);
      expect(start?.tgid).toBe(clone.how === 'thread' ? root : clone.child);
    }
    const fork = clones[2];
    const forkDeath = events.find((e) => e.kind === 'death' && e.tid === fork?.child);
    expect(forkDeath?.kind === 'death' && forkDeath.status).toEqual({ code: 3 });
    // Every task reports its exit (PTRACE_EVENT_EXIT) before its death.
    const exits = events.filter((e) => e.kind === 'exit').map((e) => e.tid);
    const deaths = events.filter((e) => e.kind === 'death').map((e) => e.tid);
    expect(new Set(exits)).toEqual(new Set([root, ...clones.map((c) => c.child)]));
    expect(new Set(deaths)).toEqual(new Set(exits));
  });

  it('reports each exec of an exec chain, and the first syscall is the command’s execve', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.exec_chain, '3'] });
    const { events, summary } = runAll(t);
    const first = events[0];
    expect(first?.kind === 'syscall-entry' && first.nr).toBe(NR.execve);
    expect(events.filter((e) => e.kind === 'exec').map((e) => [e.tid, e.kind === 'exec' && e.formerTid])).toEqual([
      [root, root],
      [root, root],
      [root, root],
      [root, root],
    ]);
    expect(summary.rootStatus).toEqual({ code: 7 });
  });

  it('reports an exec by a non-leader thread: it takes the leader’s id, and the old leader vanishes', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.thread_exec, programs.exec_chain, '0'] });
    const { events, summary } = runAll(t);
    const thread = events.find((e) => e.kind === 'clone' && e.how === 'thread');
    const exec = events.filter((e) => e.kind === 'exec').at(-1);
    expect(exec?.kind === 'exec' && [exec.tid, exec.formerTid]).toEqual([
      root,
      thread?.kind === 'clone' && thread.child,
    ]);
    expect(events.some((e) => e.kind === 'death' && e.tid === root && e.status === null)).toBe(true);
    expect(summary.rootStatus).toEqual({ code: 7 });
  });

  it('reports vfork: the clone, the child’s start and exec, and vfork-done in the parent', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.vfork_exec, programs.exec_chain, '0'] });
    const { events, summary } = runAll(t);
    const clone = events.find((e) => e.kind === 'clone');
    expect(clone?.kind === 'clone' && clone.how).toBe('vfork');
    const child = clone?.kind === 'clone' ? clone.child : -1;
    const at = (kind: string, tid: number) => events.findIndex((e) => e.kind === kind && e.tid === tid);
    expect(at('start', child)).toBeGreaterThan(events.indexOf(clone as TraceEvent));
    expect(at('exec', child)).toBeGreaterThan(at('start', child));
    // The parent is released when the child's exec drops the shared memory, which may be before or after the
    // child's exec stop is reported.
    const done = events[at('vfork-done', root)];
    expect(done?.kind === 'vfork-done' && done.child).toBe(child);
    expect(at('vfork-done', root)).toBeGreaterThan(at('start', child));
    expect(summary.rootStatus).toEqual({ code: 7 });
  });

  it('passes the exit status on, and death by a signal', () => {
    const t1 = tracer();
    t1.spawn({ command: [programs.exec_chain, '0'] });
    expect(runAll(t1).summary.rootStatus).toEqual({ code: 7 });
    const t2 = tracer();
    t2.spawn({ command: [programs.signals, 'die'] });
    const { events, summary } = runAll(t2);
    expect(summary.rootStatus).toEqual({ signal: 15, core: false });
    expect(events.some((e) => e.kind === 'signal' && e.signal === 15)).toBe(true);
  });

  it('reports a command that does not exist clearly, before tracing anything', () => {
    const t = tracer();
    expect(() => t.spawn({ command: ['utrc-no-such-command-here'] })).toThrow(
      new TraceError('command-not-found', 'command not found: utrc-no-such-command-here'),
    );
    expect(t.taskList()).toEqual([]);
  });
});

describe('signals', () => {
  it('delivers a signal by default, and a handler runs', () => {
    const t = tracer();
    t.spawn({ command: [programs.signals, 'handler'] });
    const { events, summary } = runAll(t);
    expect(events.filter((e) => e.kind === 'signal' && e.signal === 10)).toHaveLength(3);
    expect(summary.rootStatus).toEqual({ code: 3 });
  });

  it('suppresses a signal when resumed with signal 0', () => {
    const t = tracer();
    t.spawn({ command: [programs.signals, 'handler'] });
    const { summary } = runAll(t, (e) => (e.kind === 'signal' && e.signal === 10 ? { signal: 0 } : undefined));
    expect(summary.rootStatus).toEqual({ code: 0 });
  });

  it('injects a signal at a syscall stop', () => {
    const t = tracer();
    t.spawn({ command: [programs.signals, 'wait'] });
    let injected = false;
    const { summary } = runAll(t, (e) => {
      if (!injected && e.kind === 'syscall-entry' && e.nr === NR.getppid) {
        injected = true;
        return { signal: 10 };
      }
      return undefined;
    });
    expect(summary.rootStatus).toEqual({ code: 1 });
  });

  it('reports a job-control stop, keeps the task stopped (LISTEN), then reports SIGCONT', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.signals, 'stop'] });
    const events: TraceEvent[] = [];
    let stateWhileStopped: string | null = null;
    const summary = t.run({
      onEvent(event) {
        events.push(event);
        if (event.kind === 'death' || event.kind === 'detached') return;
        t.resume(event.tid);
        if (event.kind === 'group-stop') {
          stateWhileStopped = procState(root);
          process.kill(root, 'SIGCONT');
        }
      },
    });
    const kinds = events.map((e) => e.kind);
    expect(kinds).toContain('group-stop');
    expect(kinds.indexOf('continued')).toBeGreaterThan(kinds.indexOf('group-stop'));
    expect(stateWhileStopped).toMatch(/^[tT]$/);
    expect(summary.rootStatus).toEqual({ code: 5 });
  });
});

describe('detaching', () => {
  it('leaves a task in its job-control stop stopped but untraced; SIGCONT then lets it finish', async () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.signals, 'stop'] });
    detachedRoots.push(root);
    const summary = t.run({
      onEvent(event) {
        if (event.kind === 'death' || event.kind === 'detached') return;
        t.resume(event.tid);
        if (event.kind === 'group-stop') t.detachAll();
      },
    });
    expect(summary).toEqual({ rootStatus: null, detached: true });
    expect(tracerOf(root)).toBe(0);
    // The kernel wakes a detached task to put it back into the group stop, so it may show R for a moment.
    await waitFor(() => procState(root) === 'T', 10_000, 'the job-control stop');
    process.kill(root, 'SIGCONT');
    expect(reapChild(root)).toEqual({ code: 5 });
  });

  it('detaches a task held at a syscall stop, and it runs on to its end', () => {
    const t = tracer();
    const root = t.spawn({ command: [programs.ppid_loop, '100'] });
    detachedRoots.push(root);
    let seen = 0;
    t.run({
      onEvent(event) {
        if (event.kind === 'death' || event.kind === 'detached') return;
        if (event.kind === 'syscall-entry' && event.nr === NR.getppid && ++seen === 10) {
          t.detach(event.tid); // held, not resumed: detach must let it run
          return;
        }
        t.resume(event.tid);
      },
    });
    expect(seen).toBe(10);
    expect(reapChild(root)).toEqual({ code: 0 });
  });
});

describe('registers and memory', () => {
  it('reads the registers of a syscall entry: they match its arguments, and memory holds the buffer', () => {
    const t = tracer();
    t.spawn({ command: [programs.busy, '3'], stdio: [0, openSync('/dev/null', 'w'), 2] });
    let checked = 0;
    runAll(t, (e) => {
      if (e.kind === 'syscall-entry' && e.nr === NR.write && checked === 0) {
        const regs = t.getRegisters(e.tid);
        expect(regs.orig_rax).toBe(BigInt(NR.write));
        expect([regs.rdi, regs.rsi, regs.rdx, regs.r10, regs.r8, regs.r9]).toEqual(e.args);
        expect(regs.rip).toBe(e.ip);
        expect(regs.rsp).toBe(e.sp);
        expect(Buffer.from(t.readMemory(e.tid, e.args[1] as bigint, Number(e.args[2]))).toString()).toBe('x');
        checked++;
      }
      return undefined;
    });
    expect(checked).toBe(1);
  });

  it('reads the path argument of openat as a string', () => {
    const t = tracer();
    t.spawn({ command: [programs.busy, '1'], stdio: [0, openSync('/dev/null', 'w'), 2] });
    const paths: (string | null)[] = [];
    runAll(t, (e) => {
      if (e.kind === 'syscall-entry' && e.nr === NR.openat) paths.push(t.readString(e.tid, e.args[1] as bigint));
      return undefined;
    });
    expect(paths).toContain('/dev/null');
  });

  it('skips a syscall with a chosen return value', () => {
    const out = captureStdout();
    const t = tracer();
    t.spawn({ command: [programs.busy, '5'], stdio: [0, out.fd, 2] });
    const { events } = runAll(t, (e) =>
      e.kind === 'syscall-entry' && e.nr === NR.getpid ? { skip: { ret: 4242n } } : undefined,
    );
    expect(out.read()).toBe('pid=4242\n');
    const exits = events.filter((e) => e.kind === 'syscall-exit' && e.nr === NR.getpid);
    expect(exits.map((e) => e.kind === 'syscall-exit' && e.rval)).toEqual([4242n, 4242n, 4242n, 4242n, 4242n]);
  });

  it('writes registers: a changed return value reaches the program', () => {
    const out = captureStdout();
    const t = tracer();
    t.spawn({ command: [programs.busy, '2'], stdio: [0, out.fd, 2] });
    t.run({
      onEvent(e) {
        if (e.kind === 'death' || e.kind === 'detached') return;
        if (e.kind === 'syscall-exit' && e.nr === NR.getpid) t.setRegisters(e.tid, { rax: 77n });
        t.resume(e.tid);
      },
    });
    expect(out.read()).toBe('pid=77\n');
  });

  it('single-steps: one instruction, reported as a step, then runs on', () => {
    const t = tracer();
    t.spawn({ command: [programs.busy, '1'], stdio: [0, openSync('/dev/null', 'w'), 2] });
    let stepFrom: bigint | undefined;
    const steps: bigint[] = [];
    const { summary } = runAll(t, (e) => {
      if (e.kind === 'syscall-exit' && e.nr === NR.getpid && stepFrom === undefined) {
        stepFrom = t.getRegisters(e.tid).rip;
        return { step: 'single' };
      }
      if (e.kind === 'step') steps.push(t.getRegisters(e.tid).rip ?? 0n);
      return undefined;
    });
    expect(steps).toHaveLength(1);
    expect(steps[0]).not.toBe(stepFrom);
    expect(summary.rootStatus).toEqual({ code: 0 });
  });
});

describe('syscall exits', () => {
  it('are not reported where nobody asked for them, and the program is unaffected', () => {
    const out = captureStdout();
    const t = tracer();
    t.spawn({ command: [programs.busy, '200'], stdio: [0, out.fd, 2] });
    const { events, summary } = runAll(t, (e) =>
      e.kind === 'syscall-entry' && e.nr !== NR.execve ? { exitStop: false } : undefined,
    );
    expect(events.filter((e) => e.kind === 'syscall-entry' && e.nr === NR.getpid)).toHaveLength(200);
    expect(events.filter((e) => e.kind === 'syscall-exit').map((e) => e.kind === 'syscall-exit' && e.nr)).toEqual([
      NR.execve,
    ]);
    expect(summary.rootStatus).toEqual({ code: 0 });
    expect(out.read()).toMatch(/^pid=\d+\n$/);
  });
});

describe('seccomp filter', () => {
  it('stops only at the chosen syscalls, and at their exits only where asked', () => {
    const t = tracer({ mode: 'filter', numbers: [NR.getpid as number] });
    t.spawn({ command: [programs.busy, '300'], stdio: [0, openSync('/dev/null', 'w'), 2] });
    expect(t.exitKill).toBe(true);
    let n = 0;
    const { events, summary } = runAll(t, (e) =>
      e.kind === 'syscall-entry' ? { exitStop: n++ % 2 === 0 } : undefined,
    );
    const entries = events.filter((e) => e.kind === 'syscall-entry');
    expect(entries).toHaveLength(300);
    expect(entries.every((e) => e.kind === 'syscall-entry' && e.nr === NR.getpid && e.seccomp)).toBe(true);
    expect(events.filter((e) => e.kind === 'syscall-exit')).toHaveLength(150);
    expect(summary.rootStatus).toEqual({ code: 0 });
  });

  it('reports execve through the filter when it is chosen, and skips through it too', () => {
    const out = captureStdout();
    const t = tracer({ mode: 'filter', numbers: [NR.execve as number, NR.getpid as number] });
    t.spawn({ command: [programs.busy, '4'], stdio: [0, out.fd, 2] });
    const { events } = runAll(t, (e) =>
      e.kind === 'syscall-entry' && e.nr === NR.getpid ? { skip: { ret: 99n } } : undefined,
    );
    const first = events[0];
    expect(first?.kind === 'syscall-entry' && first.nr).toBe(NR.execve);
    expect(out.read()).toBe('pid=99\n');
  });
});
