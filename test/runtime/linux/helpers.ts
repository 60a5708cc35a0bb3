/**
 * Shared setup for the Linux backend's tests: the C test programs (compiled once per source version into a cache
 * directory, so every test file can call `buildPrograms` in `beforeAll` without a shared global setup), strace as
 * the reference, /proc probes, and clean-up that never leaves a stopped or orphaned process behind.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { X86_64, syscallName } from '../../../src/arch/index.js';
import type { Tracer } from '../../../src/runtime/linux/index.js';

/** The test programs, by name (see programs/*.c). */
export type ProgramName =
  | 'busy'
  | 'threads_fork'
  | 'signals'
  | 'exec_chain'
  | 'block_read'
  | 'spin'
  | 'ticker'
  | 'ppid_loop'
  | 'thread_exec'
  | 'vfork_exec'
  | 'threads_wait';

const SOURCES = fileURLToPath(new URL('./programs/', import.meta.url));

/** Compiles programs/*.c (once per version of the sources) and returns the path of each binary. */
export function buildPrograms(): Record<ProgramName, string> {
  const files = readdirSync(SOURCES)
    .filter((f) => f.endsWith('.c'))
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(SOURCES, f)));
  const dir = join(tmpdir(), `utrc-linux-test-programs-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(dir, '.complete'))) {
    // Build in a private directory and rename it into place, so concurrent test files never see half a build.
    const work = mkdtempSync(join(tmpdir(), 'utrc-linux-build-'));
    for (const f of files) {
      execFileSync('cc', ['-O1', '-Wall', '-pthread', '-o', join(work, f.slice(0, -2)), join(SOURCES, f)]);
    }
    execFileSync('touch', [join(work, '.complete')]);
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another test file won the race
    }
  }
  const out: Record<string, string> = {};
  for (const f of files) out[f.slice(0, -2)] = join(dir, f.slice(0, -2));
  return out as Record<ProgramName, string>;
}

/** The compiled Linux backend, needed wherever a worker thread runs (workers load JavaScript, not TypeScript). */
export const DIST = new URL('../../../dist/runtime/linux/', import.meta.url);
/** The tracer worker's entry point in the build. */
export const WORKER_URL = new URL('worker.js', DIST);
/** The counting session in the build. */
export const COUNT_SESSION_URL = new URL('sessions/syscall-count.js', DIST);

/** Fails clearly when the build is missing (`npm test` builds first). */
export function requireBuild(): void {
  if (!existsSync(fileURLToPath(WORKER_URL))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!existsSync(fileURLToPath(new URL('../../../native/build/utrc-trampoline', import.meta.url)))) {
    throw new Error('native/build/utrc-trampoline is missing: run `npm run build:native` first');
  }
}

/** Syscall counts by name: calls and failed calls, as `strace -c` reports them. */
export type CountsByName = Map<string, { calls: number; errors: number }>;

/** Runs `strace -f -c` on a command and parses its summary table. */
export function straceCounts(command: readonly string[]): CountsByName {
  const dir = mkdtempSync(join(tmpdir(), 'utrc-strace-'));
  try {
    const out = join(dir, 'summary');
    execFileSync('strace', ['-f', '-c', '-o', out, '--', ...command], { stdio: 'ignore' });
    const counts: CountsByName = new Map();
    for (const line of readFileSync(out, 'utf8').split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 5 || !/^\d/.test(fields[0] ?? '') || fields.at(-1) === 'total') continue;
      const name = fields.at(-1) as string;
      const calls = Number(fields[3]);
      const errors = fields.length >= 6 ? Number(fields[4]) : 0;
      counts.set(name, { calls, errors });
    }
    return counts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Converts counts by syscall number (x86_64) into counts by name, as strace names them. */
export function countsByName(byNumber: Record<number, { calls: number; errors: number }>): CountsByName {
  const out: CountsByName = new Map();
  for (const [nr, value] of Object.entries(byNumber)) out.set(syscallName(X86_64, Number(nr)), { ...value });
  return out;
}

/** Sorted `name calls/errors` lines, for readable comparisons in assertion failures. */
export function formatCounts(counts: CountsByName, omit: readonly string[] = []): string[] {
  return [...counts]
    .filter(([name]) => !omit.includes(name))
    .map(([name, v]) => `${name} ${v.calls}/${v.errors}`)
    .sort();
}

/** The state letter of /proc/PID/stat (R, S, t, T, Z, ...), or null when the process is gone. */
export function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

/** TracerPid from /proc/PID/status, or null when the process is gone. */
export function tracerOf(pid: number): number | null {
  try {
    const m = /^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Polls until `predicate` holds, failing after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A number of milliseconds, as a promise. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Makes sure a pid is gone: SIGKILL if alive (a stopped or traced process dies too). */
export function killIfAlive(pid: number): void {
  const state = procState(pid);
  if (state === null || state === 'Z') return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Ends an in-process tracer that a failed test left with tasks: kills every traced process and runs the loop
 * (resuming whatever stops) until they are all reaped.
 */
export function finishTracer(tracer: Tracer): void {
  const tasks = tracer.taskList();
  if (tasks.length === 0) return;
  for (const tgid of new Set(tasks.map((t) => t.tgid))) killIfAlive(tgid);
  tracer.run({
    onEvent: (event) => {
      if (event.kind !== 'death' && event.kind !== 'detached') tracer.resume(event.tid);
    },
  });
}

/**
 * Waits for a child of this process (a command a tracer on this thread started, then detached) and returns how it
 * ended. Only for tasks no tracer follows any more: a traced child's statuses belong to the tracer's loop.
 */
export function reapChild(pid: number): { code: number } | { signal: number } {
  const libc = koffi.load('libc.so.6');
  const waitpid = libc.func('int waitpid(int, _Out_ int *, int)') as (
    pid: number,
    status: number[],
    options: number,
  ) => number;
  const status = [0];
  if (waitpid(pid, status, 0x40000000) !== pid) throw new Error(`cannot wait for ${pid}`);
  const s = status[0] as number;
  return (s & 0x7f) === 0 ? { code: (s >> 8) & 0xff } : { signal: s & 0x7f };
}

/** A temporary directory removed by the returned function. */
export function tempDir(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'utrc-linux-test-'));
  mkdirSync(path, { recursive: true });
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
