/**
 * The tracer running in its worker thread, driven from the main thread as `utrc run` will drive it: launch, async
 * stop and resume through the wake-up signal, attaching to a running process and detaching from it, and an engine
 * failure that must leave the tracee running.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X86_64 } from '../../../src/arch/index.js';
import { TraceError, TracerHandle, shellExitCode } from '../../../src/runtime/linux/index.js';
import type { LaunchOptions } from '../../../src/runtime/linux/index.js';
import {
  COUNT_SESSION_URL,
  WORKER_URL,
  buildPrograms,
  countsByName,
  killIfAlive,
  procState,
  reapChild,
  requireBuild,
  sleep,
  tempDir,
  tracerOf,
  waitFor,
} from './helpers.js';
import type { ProgramName } from './helpers.js';

const devNull = openSync('/dev/null', 'w');
const CONTROL_SESSION_URL = new URL('./fixtures/control-session.mjs', import.meta.url);
let programs: Record<ProgramName, string>;
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
  programs = buildPrograms();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  await sleep(0);
});

interface Message {
  type: string;
  tid?: number;
  kind?: string;
  status?: unknown;
  counts?: Record<number, { calls: number; errors: number }>;
}

async function launch(options: Omit<LaunchOptions, 'session' | 'workerUrl'> & { session?: URL }) {
  const messages: Message[] = [];
  const handle = await TracerHandle.launch({
    session: CONTROL_SESSION_URL,
    workerUrl: WORKER_URL,
    onMessage: (m) => messages.push(m as Message),
    ...options,
  });
  cleanups.push(() => {
    for (const pid of handle.info.pids) killIfAlive(pid);
  });
  return { handle, messages };
}

/**
 * Starts the ticker as an orphan (its parent shell exits at once), as a process found with `ps` would be: attaching
 * to a child of this very process is refused (see Tracer.attach).
 */
function startTicker(count: number): { pid: number; lines: () => number; finished: () => boolean } {
  const temp = tempDir();
  const file = join(temp.path, 'ticks');
  const out = execFileSync(
    '/bin/sh',
    ['-c', '"$0" "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!', programs.ticker, String(count), file],
    {
      encoding: 'utf8',
    },
  );
  const pid = Number(out.trim());
  cleanups.push(() => {
    killIfAlive(pid);
    temp.remove();
  });
  const lines = () => {
    try {
      return readFileSync(file, 'utf8').split('\n').length - 1;
    } catch {
      return 0;
    }
  };
  const finished = () => {
    const state = procState(pid);
    return state === null || state === 'Z';
  };
  return { pid, lines, finished };
}

describe('launching a command', () => {
  it('runs it to its end and passes its exit status on', async () => {
    const { handle } = await launch({ command: { command: [programs.exec_chain, '1'] } });
    const summary = await handle.done;
    expect(summary.rootStatus).toEqual({ code: 7 });
    expect(shellExitCode(summary.rootStatus ?? { code: 0 })).toBe(7);
  });

  it('gives 128 + the signal when the command is killed by one', async () => {
    const { handle } = await launch({ command: { command: [programs.signals, 'die'] } });
    const summary = await handle.done;
    expect(summary.rootStatus).toEqual({ signal: 15, core: false });
    expect(shellExitCode(summary.rootStatus ?? { code: 0 })).toBe(143);
  });

  it('reports a missing command as a TraceError, not a crash', async () => {
    await expect(launch({ command: { command: ['utrc-no-such-command-here'] } })).rejects.toEqual(
      new TraceError('command-not-found', 'command not found: utrc-no-such-command-here'),
    );
  });

  it('counts syscalls with the counting session, and with a filter only the chosen ones', async () => {
    const all = await launch({
      session: COUNT_SESSION_URL,
      command: { command: [programs.busy, '500'], stdio: [0, devNull, 2] },
    });
    await all.handle.done;
    const allCounts = countsByName(all.messages.find((m) => m.type === 'syscall-counts')?.counts ?? {});
    expect(allCounts.get('getpid')).toEqual({ calls: 500, errors: 0 });
    expect(allCounts.get('write')?.calls).toBe(501);

    const getpid = X86_64.syscalls.getpid as number;
    const filtered = await launch({
      session: COUNT_SESSION_URL,
      command: { command: [programs.busy, '500'], stdio: [0, devNull, 2] },
      syscalls: { mode: 'filter', numbers: [getpid] },
    });
    expect(filtered.handle.info.exitKill).toBe(true);
    expect(filtered.handle.info.notes.join('\n')).toMatch(/killed if utrc is killed/);
    await filtered.handle.done;
    const counts = countsByName(filtered.messages.find((m) => m.type === 'syscall-counts')?.counts ?? {});
    expect([...counts.keys()]).toEqual(['getpid']);
    expect(counts.get('getpid')).toEqual({ calls: 500, errors: 0 });
  });
});

describe('asynchronous stop', () => {
  it('stops a spinning program at once (PTRACE_INTERRUPT), holds it, and resumes it', async () => {
    const { handle, messages } = await launch({
      command: { command: [programs.spin, '3000'] },
      syscalls: { mode: 'none' },
    });
    const pid = handle.info.pids[0] as number;
    await waitFor(() => messages.some((m) => m.kind === 'exec'), 10_000, 'the exec');
    await sleep(50);
    expect(await handle.request({ op: 'stop', tid: pid })).toBe(true);
    await waitFor(() => messages.some((m) => m.type === 'held'), 10_000, 'the held stop');
    expect(messages.find((m) => m.type === 'held')).toEqual({ type: 'held', tid: pid, kind: 'interrupt' });
    expect(procState(pid)).toBe('t');
    // Held, it burns no CPU: its user time does not move.
    const utime = () => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[11]);
    const before = utime();
    await sleep(150);
    expect(utime()).toBe(before);
    const regs = (await handle.request({ op: 'registers', tid: pid })) as Record<string, bigint>;
    expect(typeof regs.rip).toBe('bigint');
    expect(await handle.request({ op: 'resume', tid: pid })).toBe(true);
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
  });
});

describe('timers of the tracer thread', () => {
  it('fire while the tracer waits for a tracee that makes no syscalls', async () => {
    const { handle, messages } = await launch({
      command: { command: [programs.spin, '3000'] },
      syscalls: { mode: 'none' },
      sessionOptions: { timerMs: 150 },
    });
    const pid = handle.info.pids[0] as number;
    await waitFor(() => messages.some((m) => m.type === 'held'), 10_000, 'the timer');
    expect(messages.map((m) => m.type)).toContain('timer-fired');
    expect(procState(pid)).toBe('t');
    expect(await handle.request({ op: 'resume', tid: pid })).toBe(true);
    expect((await handle.done).rootStatus).toEqual({ code: 0 });
  });
});

describe('attaching to running processes', () => {
  it('attaches to every thread, then detaches on request and the process runs on', async () => {
    const ticker = startTicker(60);
    const pid = ticker.pid;
    await waitFor(() => ticker.lines() >= 2, 10_000, 'the ticker to start');
    const { handle, messages } = await launch({ pids: [pid] });
    expect(handle.info.pids).toEqual([pid]);
    await waitFor(() => messages.some((m) => m.kind === 'attach'), 10_000, 'the attach stop');
    expect(tracerOf(pid)).not.toBe(0);
    const seen = ticker.lines();
    await waitFor(() => ticker.lines() > seen + 2, 10_000, 'ticks while traced');
    handle.detachAll();
    const summary = await handle.done;
    expect(summary).toEqual({ rootStatus: null, detached: true });
    expect(messages.filter((m) => m.type === 'detached').map((m) => m.tid)).toEqual([pid]);
    expect(tracerOf(pid)).toBe(0);
    expect(procState(pid)).not.toMatch(/^[tT]$/);
    await waitFor(ticker.finished, 10_000, 'the ticker to finish');
    expect(ticker.lines()).toBe(60);
  });

  it('attaches to every thread of a multi-threaded process, and detaches them all', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const file = join(temp.path, 'ticks');
    const out = execFileSync(
      '/bin/sh',
      ['-c', '"$0" "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!', programs.threads_wait, '40', file],
      { encoding: 'utf8' },
    );
    const pid = Number(out.trim());
    cleanups.push(() => killIfAlive(pid));
    const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
    await waitFor(() => lines() >= 8, 10_000, 'the threads to start');
    const { handle, messages } = await launch({ pids: [pid] });
    expect(handle.info.pids).toHaveLength(4);
    expect(handle.info.pids[0]).toBe(pid);
    await waitFor(() => messages.filter((m) => m.kind === 'attach').length === 4, 10_000, 'four attach stops');
    handle.detachAll();
    await handle.done;
    expect(
      messages
        .filter((m) => m.type === 'detached')
        .map((m) => m.tid)
        .sort(),
    ).toEqual([...handle.info.pids].sort());
    for (const tid of handle.info.pids) expect(tracerOf(tid)).toBe(0);
    await waitFor(() => procState(pid) === null || procState(pid) === 'Z', 10_000, 'the process to finish');
    expect(lines()).toBe(160);
  });

  it('refuses to attach to a child process of its own process', async () => {
    const child = spawn(programs.block_read, [], { stdio: ['pipe', 'ignore', 'ignore'] });
    cleanups.push(() => child.kill('SIGKILL'));
    await expect(launch({ pids: [child.pid as number] })).rejects.toMatchObject({ code: 'unsupported' });
    child.stdin?.end();
  });

  it('explains that a process does not exist', async () => {
    await expect(launch({ pids: [2 ** 22 + 12345] })).rejects.toMatchObject({ code: 'no-such-process' });
  });

  it('explains who already traces a process', async () => {
    const ticker = startTicker(100);
    const pid = ticker.pid;
    const first = await launch({ pids: [pid] });
    cleanups.push(() => first.handle.detachAll());
    await waitFor(() => first.messages.some((m) => m.kind === 'attach'), 10_000, 'the first attach');
    await expect(launch({ pids: [pid] })).rejects.toEqual(
      new TraceError(
        'attach-refused',
        `cannot attach to ${pid}: it is already traced by process ${process.pid} (node)`,
      ),
    );
    first.handle.detachAll();
    await first.handle.done;
  });
});

describe('faults', () => {
  it('detaches everything when the event handler throws, and the tracee runs on to its normal end', async () => {
    const { handle } = await launch({
      command: { command: [programs.threads_fork] },
      sessionOptions: { throwAt: X86_64.syscalls.getppid },
    });
    const pid = handle.info.pids[0] as number;
    await expect(handle.done).rejects.toMatchObject({
      code: 'session-failed',
      message: expect.stringMatching(/every task was detached: engine failure at syscall 110/),
    });
    // The worker thread was the command's parent; now this thread is. The program finished its work correctly.
    expect(reapChild(pid)).toEqual({ code: 0 });
  });
});
