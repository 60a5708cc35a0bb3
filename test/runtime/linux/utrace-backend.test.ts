/**
 * The utrace core on real processes: hand-written engines (fixtures/engines-setup.mjs) attached through the utrace
 * session, checked for what the core promises on the simulator too: engines follow clones, arbitration between
 * engines keeps a task stopped while one of them wants it, syscall abort and signal suppression, an asynchronous
 * stop served at the next report point, and a throwing engine detached while the task and the others go on.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { X86_64, syscallName } from '../../../src/arch/index.js';
import { TracerHandle } from '../../../src/runtime/linux/index.js';
import type { SpawnSpec } from '../../../src/runtime/linux/index.js';
import {
  DIST,
  formatCounts,
  straceCounts,
  WORKER_URL,
  buildPrograms,
  killIfAlive,
  procState,
  requireBuild,
  sleep,
  tempDir,
  waitFor,
} from './helpers.js';
import type { CountsByName, ProgramName } from './helpers.js';

const SESSION_URL = new URL('sessions/utrace.js', DIST);
const SETUP_URL = new URL('./fixtures/engines-setup.mjs', import.meta.url);
let programs: Record<ProgramName, string>;
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
  programs = buildPrograms();
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

type Message = Record<string, unknown> & { type: string };

async function launch(scenario: string, command: SpawnSpec) {
  const messages: Message[] = [];
  const handle = await TracerHandle.launch({
    session: SESSION_URL,
    sessionOptions: { setup: SETUP_URL.href, setupOptions: { scenario } },
    workerUrl: WORKER_URL,
    command,
    onMessage: (m) => messages.push(m as Message),
  });
  cleanups.push(() => {
    for (const pid of handle.info.pids) killIfAlive(pid);
  });
  return { handle, messages, pid: handle.info.pids[0] as number };
}

describe('utrace core on the Linux backend', () => {
  it('engines follow threads and fork children from report_clone, and see exec and exit', async () => {
    const { handle, messages, pid } = await launch('follow', { command: [programs.threads_fork] });
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    const clones = messages.filter((m) => m.type === 'clone');
    expect(clones.map((m) => m.thread)).toEqual([true, true, false]);
    expect(clones.every((m) => m.parent === pid)).toBe(true);
    const counts = messages.find((m) => m.type === 'counts')?.counts as Record<string, number>;
    const [t1, t2, child] = clones.map((m) => m.child as number);
    expect([counts[`${t1}:110`], counts[`${t2}:110`], counts[`${child}:110`]]).toEqual([10, 10, 5]);
    expect(counts[`${pid}:110`]).toBeUndefined();
    const exits = messages.filter((m) => m.type === 'exit');
    expect(exits.find((m) => m.task === child)?.code).toBe(3 << 8);
    expect(exits.find((m) => m.task === pid)?.code).toBe(0);
  });

  it('keeps a task stopped while one engine wants it, whatever the other returns, until it resumes', async () => {
    const { handle, messages, pid } = await launch('arbitrate', { command: [programs.ppid_loop, '20'] });
    await waitFor(() => messages.some((m) => m.type === 'held'), 10_000, 'the stop');
    expect(procState(pid)).toBe('t');
    expect(await handle.request({ op: 'bSeen' })).toBe(1);
    await sleep(100);
    expect(procState(pid)).toBe('t');
    expect(await handle.request({ op: 'bSeen' })).toBe(1);
    expect(await handle.request({ op: 'release' })).toBe(0);
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    expect(messages.find((m) => m.type === 'bSeen')?.n).toBe(20);
  });

  it('aborts a syscall (it fails with ENOSYS) and suppresses a signal, as engines decide', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const out = join(temp.path, 'out');
    const fd = openSync(out, 'w');
    const busy = await launch('abort-and-ignore', { command: [programs.busy, '3'], stdio: [0, fd, 2] });
    expect((await busy.handle.done).rootStatus).toEqual({ code: 0 });
    expect(readFileSync(out, 'utf8')).toBe('pid=-1\n');
    const signals = await launch('abort-and-ignore', { command: [programs.signals, 'handler'] });
    expect((await signals.handle.done).rootStatus).toEqual({ code: 0 });
  });

  it('serves an asynchronous STOP of a running task at its next report point, and RESUME lets it go', async () => {
    const { handle, messages, pid } = await launch('async-stop', { command: [programs.spin, '3000'] });
    await sleep(100);
    expect(await handle.request({ op: 'stop' })).toBe(-115); // -EINPROGRESS: the task was running
    await waitFor(() => messages.some((m) => m.type === 'quiesce-stop'), 10_000, 'the quiesce stop');
    expect(procState(pid)).toBe('t');
    expect(await handle.request({ op: 'resume' })).toBe(0);
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
  });

  it('stops a task blocked in read at once, and after RESUME the read goes on and gets its input', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const fifo = join(temp.path, 'in');
    execFileSync('mkfifo', [fifo]);
    // Read-write, so this end never blocks in open and the program's read blocks until something is written.
    const input = openSync(fifo, 'r+');
    cleanups.push(() => closeSync(input));
    const { handle, messages, pid } = await launch('async-stop', {
      command: [programs.block_read],
      stdio: [input, openSync('/dev/null', 'w'), 2],
    });
    await waitFor(
      () => procState(pid) === 'S' && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'block_read',
      10_000,
      'the read',
    );
    expect(await handle.request({ op: 'stop' })).toBe(-115);
    await waitFor(() => messages.some((m) => m.type === 'quiesce-stop'), 10_000, 'the quiesce stop');
    expect(procState(pid)).toBe('t');
    expect(await handle.request({ op: 'resume' })).toBe(0);
    await waitFor(() => procState(pid) === 'S', 10_000, 'the read again');
    writeSync(input, 'abc');
    expect((await handle.done).rootStatus).toEqual({ code: 3 });
  });

  it('runs debugger-side code in real time: sleep, stop, wait until stopped, resume; and every-timers', async () => {
    const { handle, messages } = await launch('debugger', { command: [programs.spin, '800'] });
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    expect(messages.find((m) => m.type === 'stopped')).toEqual({ type: 'stopped', stop: -115, waited: 0, state: 't' });
    expect(messages.find((m) => m.type === 'resumed')).toEqual({ type: 'resumed', result: 0 });
    const ticks = messages.find((m) => m.type === 'ticks');
    expect(ticks?.errors).toBe(0);
    // About 16 periods of 50 ms in an 800 ms run (plus the 100 ms stop); only their presence is certain.
    expect(ticks?.ticks).toBeGreaterThan(3);
  });

  it('starts debugger-side code at its time: in time order, those due together in spawn order, none after the end', async () => {
    const { handle, messages } = await launch('timed', { command: [programs.spin, '400'] });
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    const timed = messages.find((m) => m.type === 'timed') as
      (Message & { t0: number; started: { name: string; at: number }[]; errors: number }) | undefined;
    expect(timed?.errors).toBe(0);
    const started = (timed?.started ?? []).map((s) => ({ name: s.name, after: s.at - (timed?.t0 ?? 0) }));
    // Real time on a machine that may be busy: only the order and "not before its time" are certain; the one due
    // after the command ends never starts, and does not hold the end up.
    expect(started.map((s) => s.name)).toEqual(['now', 'early', 'late-a', 'late-b']);
    const onTime = started.filter((s) => s.name !== 'now').map((s) => s.after >= (s.name === 'early' ? 100e6 : 200e6));
    expect({ started, onTime }).toEqual({ started, onTime: [true, true, true] });
  });

  it('gives engines the same registers at syscall stops as a full read of the register set', async () => {
    const { handle, messages } = await launch('exit-registers', {
      command: [programs.exec_chain, '1'],
    });
    expect((await handle.done).rootStatus).toEqual({ code: 7 });
    const result = messages.find((m) => m.type === 'registers');
    expect(result?.mismatches).toEqual([]);
    expect(result?.checked).toBeGreaterThan(40);
  });

  it('detaches an engine that throws, reports it, and the task and the other engine go on', async () => {
    const { handle, messages } = await launch('throw', { command: [programs.ppid_loop, '50'] });
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    expect(messages.filter((m) => m.type === 'fault')).toEqual([
      expect.objectContaining({ type: 'fault', callback: 'report_syscall_entry', message: 'engine bug' }),
    ]);
    expect(messages.find((m) => m.type === 'steady')?.seen).toBe(50);
  });
});

describe('attached processes', () => {
  it('engines trace a process attached with -p, and detaching leaves it running', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.path, 'ticks');
    const out = execFileSync(
      '/bin/sh',
      ['-c', '"$0" "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!', programs.ticker, '60', file],
      { encoding: 'utf8' },
    );
    const pid = Number(out.trim());
    cleanups.push(() => killIfAlive(pid));
    await waitFor(() => existsSync(file), 10_000, 'the ticker');
    const messages: Message[] = [];
    const handle = await TracerHandle.launch({
      session: SESSION_URL,
      sessionOptions: { setup: SETUP_URL.href, setupOptions: { scenario: 'follow' } },
      workerUrl: WORKER_URL,
      pids: [pid],
      onMessage: (m) => messages.push(m as Message),
    });
    await sleep(200);
    handle.detachAll();
    const summary = await handle.done;
    expect(summary).toEqual({ rootStatus: null, detached: true });
    const counts = messages.find((m) => m.type === 'counts')?.counts as Record<string, number>;
    // ticker writes a line and sleeps (clock_nanosleep) every 20 ms
    expect(counts[`${pid}:1`]).toBeGreaterThan(2);
    expect(counts[`${pid}:230`]).toBeGreaterThan(2);
    expect(procState(pid)).not.toBe('t');
    await waitFor(() => procState(pid) === null || procState(pid) === 'Z', 10_000, 'the ticker to finish');
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(61);
  });
});

describe('a compiled .utr program on real processes', () => {
  /** Runs `text` as a `.utr` program on `command` with `--control` requests; the final state of `engine`. */
  async function runUtr(text: string, engine: string, command: string[], controls: string[] = []) {
    const messages: Message[] = [];
    const handle = await TracerHandle.launch({
      session: SESSION_URL,
      sessionOptions: {
        setup: new URL('./fixtures/utr-setup.mjs', import.meta.url).href,
        setupOptions: { file: 'test.utr', text, engine, controls },
      },
      workerUrl: WORKER_URL,
      command: { command, stdio: [0, openSync('/dev/null', 'w'), 2] },
      onMessage: (m) => messages.push(m as Message),
    });
    cleanups.push(() => killIfAlive(handle.info.pids[0] as number));
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    return messages.find((m) => m.type === 'state') as unknown as {
      state: Record<string, number>;
      faults: string[];
      /** When each debugger-side coroutine started, in ns after the session's start (with controls). */
      starts: { name: string; after: number }[];
    };
  }

  it('starts a `--control NAME@TIME` at its time, those due together in the order given', async () => {
    const marker = `engine marker {
  state calls: int = 0
  state seen_by_a: int = 0
  state order: int = 0
  on syscall_entry do set calls = calls + 1 then resume
  control a do set seen_by_a = calls then set order = order * 10 + 1
  control b do set order = order * 10 + 2
}`;
    // 20,000 syscalls, each stopping and logged: far longer than the 30 ms the controls wait.
    const final = await runUtr(marker, 'marker', [programs.busy, '10000'], ['b@30ms', 'a@30ms']);
    expect(final.faults).toEqual([]);
    expect(final.starts.map((s) => s.name)).toEqual(['marker: control b', 'marker: control a']);
    // Real time: not before their time, and not long after.
    for (const s of final.starts) {
      expect(s.after).toBeGreaterThanOrEqual(30e6);
      expect(s.after).toBeLessThan(1e9);
    }
    expect(final.state.order).toBe(21);
    // `a` ran while the command was running: after some of its syscalls, before the last.
    expect(final.state.seen_by_a).toBeGreaterThan(0);
    expect(final.state.seen_by_a).toBeLessThan(final.state.calls ?? 0);
  });

  it('examples/syscount.utr counts what strace -f -c counts', async () => {
    const file = fileURLToPath(new URL('../../../examples/syscount.utr', import.meta.url));
    const command = [programs.busy, '300'];
    const messages: Message[] = [];
    const handle = await TracerHandle.launch({
      session: SESSION_URL,
      sessionOptions: {
        setup: new URL('./fixtures/utr-setup.mjs', import.meta.url).href,
        setupOptions: { file, text: readFileSync(file, 'utf8'), engine: 'syscount' },
      },
      workerUrl: WORKER_URL,
      command: { command, stdio: [0, openSync('/dev/null', 'w'), 2] },
      onMessage: (m) => messages.push(m as Message),
    });
    cleanups.push(() => killIfAlive(handle.info.pids[0] as number));
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
    const final = messages.find((m) => m.type === 'state') as unknown as {
      state: { calls: [number, number][]; errors: [number, number][] };
      faults: string[];
    };
    expect(final.faults).toEqual([]);
    const errors = new Map(final.state.errors);
    const ours: CountsByName = new Map();
    for (const [nr, calls] of final.state.calls) {
      ours.set(syscallName(X86_64, nr), { calls, errors: errors.get(nr) ?? 0 });
    }
    // The engine counts at syscall entry, strace at exit: exit_group never returns, so strace never counts it.
    expect(ours.get('exit_group')).toEqual({ calls: 1, errors: 0 });
    ours.delete('exit_group');
    expect(formatCounts(ours)).toEqual(formatCounts(straceCounts(command)));
  });
});
