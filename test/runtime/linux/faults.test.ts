/**
 * The tracee is never the victim: the tracer runs as its own Node process (fixtures/trace-cli.mjs, what `utrc run`
 * will be), and the tests kill or interrupt that process and check what happens to the traced program.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { X86_64 } from '../../../src/arch/index.js';
import { DIST, buildPrograms, killIfAlive, procState, requireBuild, tempDir, tracerOf, waitFor } from './helpers.js';
import type { ProgramName } from './helpers.js';

const CLI = fileURLToPath(new URL('./fixtures/trace-cli.mjs', import.meta.url));
let programs: Record<ProgramName, string>;
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
  programs = buildPrograms();
});

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

interface TracerProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the tracer process and waits until it reports that tracing has begun. */
async function startTracer(args: string[]): Promise<TracerProcess> {
  const child = spawn(process.execPath, [CLI, DIST.href, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => child.kill('SIGKILL'));
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      // The traced command shares the tracer's stdout; only the tracer's JSON lines matter here.
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await waitFor(() => lines.some((l) => 'started' in l || 'error' in l), 10_000, 'the tracer to start');
  const error = lines.find((l) => 'error' in l);
  if (error !== undefined) throw new Error(`the tracer failed to start: ${JSON.stringify(error)}`);
  return { child, lines, exited };
}

/** A ticker writing `count` lines to a file; `finished` once it has exited (gone, or a zombie of its new parent). */
function tickerFile(count: number) {
  const temp = tempDir();
  const file = join(temp.path, 'ticks');
  cleanups.push(() => temp.remove());
  return {
    command: [programs.ticker, String(count), file],
    lines: () => {
      try {
        return readFileSync(file, 'utf8').split('\n').length - 1;
      } catch {
        return 0;
      }
    },
  };
}

function finished(pid: number): boolean {
  const state = procState(pid);
  return state === null || state === 'Z';
}

function startedPid(tracer: TracerProcess): number {
  const started = tracer.lines.find((l) => 'started' in l)?.started as { pids: number[] };
  return started.pids[0] as number;
}

/** Traces a ticker with `options`, checks the announced `note`, kills the tracer: the ticker must die with it. */
async function expectKilledWithTracer(options: string[], note: string): Promise<void> {
  const ticker = tickerFile(200);
  const tracer = await startTracer([...options, '--', ...ticker.command]);
  const started = tracer.lines.find((l) => 'started' in l)?.started as { exitKill: boolean; notes: string[] };
  expect(started.exitKill).toBe(true);
  expect(started.notes).toEqual([note]);
  const pid = startedPid(tracer);
  cleanups.push(() => killIfAlive(pid));
  await waitFor(() => ticker.lines() >= 3, 10_000, 'ticks while traced');
  tracer.child.kill('SIGKILL');
  await tracer.exited;
  await waitFor(() => finished(pid), 10_000, 'the command to die');
  expect(ticker.lines()).toBeLessThan(200);
}

describe('when the tracer is killed', () => {
  it('without a seccomp filter, the traced command is detached by the kernel and runs to its end', async () => {
    const ticker = tickerFile(40);
    const tracer = await startTracer(['--', ...ticker.command]);
    const pid = startedPid(tracer);
    cleanups.push(() => killIfAlive(pid));
    await waitFor(() => ticker.lines() >= 3, 10_000, 'ticks while traced');
    tracer.child.kill('SIGKILL');
    await tracer.exited;
    await waitFor(() => tracerOf(pid) === 0 || finished(pid), 10_000, 'the kernel to detach it');
    expect(procState(pid)).not.toMatch(/^[tT]$/);
    await waitFor(() => finished(pid), 10_000, 'the command to finish');
    expect(ticker.lines()).toBe(40);
  });

  it('with a seccomp filter, the command is killed with it (PTRACE_O_EXITKILL), as announced', async () => {
    await expectKilledWithTracer(
      ['--filter', String(X86_64.syscalls.write)],
      'the seccomp filter is in force: the traced processes are killed if utrc is killed',
    );
  });
});

describe('--kill-on-exit', () => {
  it('kills the command with the tracer even without a filter', async () => {
    await expectKilledWithTracer(
      ['--kill-on-exit'],
      'the traced processes are killed if utrc is killed (--kill-on-exit)',
    );
  });
});

describe('Ctrl-C and SIGTERM detach cleanly', () => {
  it('SIGINT with -p: every thread is detached, none left stopped, and the process runs on', async () => {
    const ticker = tickerFile(60);
    const out = execFileSync(
      '/bin/sh',
      ['-c', '"$0" "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!', ...ticker.command],
      {
        encoding: 'utf8',
      },
    );
    const pid = Number(out.trim());
    cleanups.push(() => killIfAlive(pid));
    await waitFor(() => ticker.lines() >= 2, 10_000, 'the ticker to start');
    const tracer = await startTracer(['--pids', String(pid)]);
    await waitFor(() => tracerOf(pid) !== 0, 10_000, 'the attach');
    tracer.child.kill('SIGINT');
    expect(await tracer.exited).toEqual({ code: 0, signal: null });
    expect(tracer.lines.find((l) => 'done' in l)).toEqual({ done: { rootStatus: null, detached: true } });
    expect(tracerOf(pid)).toBe(0);
    expect(procState(pid)).not.toMatch(/^[tT]$/);
    const seen = ticker.lines();
    await waitFor(() => ticker.lines() > seen, 10_000, 'ticks after the detach');
    await waitFor(() => finished(pid), 10_000, 'the process to finish');
    expect(ticker.lines()).toBe(60);
  });

  it('SIGTERM with a command blocked in read: detached, not stopped, and it still reads its input', async () => {
    const temp = tempDir();
    cleanups.push(() => temp.remove());
    const fifo = join(temp.path, 'in');
    execFileSync('mkfifo', [fifo]);
    // Keep a writer open on the fifo so the traced program's read blocks instead of seeing end of input.
    const writer = spawn('/bin/sh', ['-c', 'exec 3>"$0"; exec sleep 30', fifo], { stdio: 'ignore' });
    cleanups.push(() => writer.kill('SIGKILL'));
    const tracer = await startTracer([
      '--',
      '/bin/sh',
      '-c',
      'exec "$0" < "$1" > /dev/null',
      programs.block_read,
      fifo,
    ]);
    const pid = startedPid(tracer);
    cleanups.push(() => killIfAlive(pid));
    const comm = () => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        return '';
      }
    };
    await waitFor(() => comm() === 'block_read' && procState(pid) === 'S', 10_000, 'the blocking read');
    tracer.child.kill('SIGTERM');
    expect(await tracer.exited).toEqual({ code: 0, signal: null });
    expect(tracerOf(pid)).toBe(0);
    expect(procState(pid)).toBe('S');
    writer.kill('SIGKILL'); // end of input: read returns 0 and the program exits
    await waitFor(() => finished(pid), 10_000, 'the program to exit');
  });
});
