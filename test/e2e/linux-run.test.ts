/**
 * `utrc run FILE -- CMD` and `utrc run FILE -p PID` as a user runs them (the built CLI in a subprocess, on real
 * processes through ptrace): counts that agree with strace's, the command's exit status passed on, the seccomp
 * filter chosen from the program, one-line errors, and a clean detach from an attached process on Ctrl-C.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { hasStackTrace, ROOT, utrc } from '../cli/helpers.js';
import {
  buildPrograms,
  formatCounts,
  killIfAlive,
  procState,
  straceCounts,
  tracerOf,
  waitFor,
  type CountsByName,
} from '../runtime/linux/helpers.js';

/** Counts `write` calls by process. */
const WRITES_BY_PROCESS = `arch x86_64
engine pw {
  state writes: map<int, count>
  on syscall_entry(call) when call.nr == write do writes[task.pid] += 1 then resume
}
`;

const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-linux-run-cache-')) };
const hasStrace = spawnSync('strace', ['-V']).status === 0;
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Processes a test started; killed (if still there) after each test, so nothing is left behind. */
const started: ChildProcess[] = [];
/** Processes utrc started that a failing test could leave behind. */
const strays: number[] = [];
afterEach(() => {
  for (const p of started.splice(0)) {
    if (p.pid !== undefined) killIfAlive(p.pid);
  }
  for (const pid of strays.splice(0)) killIfAlive(pid);
});

/** The `sleep` that a background `utrc run … -- sleep N` started and traces (remembered for cleanup). */
async function tracedSleepOf(cli: ChildProcess): Promise<number> {
  let sleeper = 0;
  await waitFor(
    () => {
      sleeper = childrenOf(cli.pid as number).find((pid) => tracerOf(pid) !== 0 && commOf(pid) === 'sleep') ?? 0;
      return sleeper !== 0;
    },
    10_000,
    'the traced sleep',
  );
  strays.push(sleeper);
  return sleeper;
}

/** A `utrc run` in the background (cleaned up after the test), with its output collected and its exit awaited. */
function startUtrc(args: readonly string[]): {
  cli: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
} {
  const cli = spawn(process.execPath, [`${ROOT}bin/utrc.js`, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(cli);
  const out = { stdout: '', stderr: '' };
  cli.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  cli.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  return { cli, out, exited };
}

/** The children of every thread of a process (the tracer thread starts the command). */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The `calls:` and `errors:` tables of syscount's text output, as counts by syscall name. */
function syscountTables(stdout: string): CountsByName {
  const table = (title: string): Map<string, number> => {
    const block = stdout.split('\n\n').find((b) => b.trimStart().startsWith(`${title}:`));
    if (block === undefined) throw new Error(`no \`${title}:\` table in:\n${stdout}`);
    const rows = block.trim().split('\n').slice(2);
    return new Map(rows.map((r) => r.trim().split(/\s+/) as [string, string]).map(([n, c]) => [n, Number(c)]));
  };
  const errors = table('errors');
  const counts: CountsByName = new Map();
  for (const [name, calls] of table('calls')) counts.set(name, { calls, errors: errors.get(name) ?? 0 });
  return counts;
}

describe.runIf(process.platform === 'linux')('utrc run -- CMD', () => {
  test.runIf(hasStrace).each([[['/bin/true']], [['sh', '-c', 'echo hi > /dev/null; x=$((1 + 2)); exit 0']]])(
    'syscount on %j counts what strace -f -c counts',
    (command) => {
      const r = utrc(['run', 'examples/syscount.utr', '--', ...command], { env });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const ours = syscountTables(r.stdout);
      // The engine counts at syscall entry, strace at exit: exit_group never returns, so strace never counts it.
      expect(ours.get('exit_group')?.calls).toBe(1);
      expect(formatCounts(ours, ['exit_group'])).toEqual(formatCounts(straceCounts(command), ['exit_group']));
    },
  );

  const withChildren = ['sh', '-c', 'ls / > /dev/null; cat /etc/hostname > /dev/null; (true); exit 0'];

  test.runIf(hasStrace)('syscount follows children and threads from its clone report, as strace -f does', () => {
    const r = utrc(['run', 'examples/syscount.utr', '--', ...withChildren], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ours = syscountTables(r.stdout);
    // One exit_group per process: the shell, ls, cat and the subshell.
    expect(ours.get('exit_group')?.calls).toBe(4);
    expect(formatCounts(ours, ['exit_group'])).toEqual(formatCounts(straceCounts(withChildren), ['exit_group']));
  });

  test('passes on the exit status of the command, or 128+N when signal N killed it', () => {
    expect(utrc(['run', 'examples/syscount.utr', '--', 'sh', '-c', 'exit 3'], { env }).status).toBe(3);
    const killed = utrc(['run', 'examples/syscount.utr', '--', 'sh', '-c', 'kill -TERM $$'], { env });
    expect(killed.status).toBe(128 + 15);
    expect(killed.stdout).toMatch(/^calls:/m);
  });

  test('opens prints the path, with a seccomp filter for the syscalls it names, said on stderr', () => {
    const r = utrc(['run', 'examples/opens.utr', '--', 'cat', '/etc/hostname'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^openat\("\/etc\/hostname"\) = 3$/m);
    expect(r.stdout).toMatch(/^opened: \d+$/m);
    expect(r.stderr).toMatch(/^utrc: note: seccomp filter in force: only open, creat, openat, openat2 stop/m);
  });

  test('--no-filter stops at every syscall, and the output is the same', () => {
    const r = utrc(['run', 'examples/opens.utr', '--no-filter', '--', 'cat', '/etc/hostname'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^openat\("\/etc\/hostname"\) = 3$/m);
    expect(r.stderr).not.toMatch(/seccomp/);
  });

  test('an unguarded syscall handler gets no filter', () => {
    const r = utrc(['run', 'examples/syscount.utr', '--', '/bin/true'], { env });
    expect(r.stderr).not.toMatch(/seccomp/);
  });

  test('--format json prints emit records and the end', () => {
    const r = utrc(['run', 'examples/opens.utr', '--format', 'json', '--', 'cat', '/etc/hostname'], { env });
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; value?: unknown; reason?: string });
    expect(lines.some((l) => l.type === 'emit' && l.value === 'openat("/etc/hostname") = 3')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'end', reason: 'done' });
  });

  test.each([
    [['nosuchcommand-utrc'], /^utrc: command not found: nosuchcommand-utrc\n$/],
    [[], /^utrc: no command after `--`/],
  ])('a bad command %j is one line, exit 2', (command, message) => {
    const r = utrc(['run', 'examples/syscount.utr', '--', ...command], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(r.stdout).toBe('');
  });

  test('Ctrl-C sends the command SIGINT, as strace does, detaches, and exits 130', async () => {
    const { cli, out, exited } = startUtrc(['run', 'examples/syscount.utr', '--', 'sleep', '30']);
    const sleeper = await tracedSleepOf(cli);
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    // Notes only (the detach note, unless the command died before the detach took effect).
    expect(out.stderr).toMatch(/^(utrc: note: [^\n]*\n)*$/);
    expect(hasStackTrace(out.stderr)).toBe(false);
    // Killed by the SIGINT it was sent, never left stopped.
    await waitFor(() => [null, 'Z'].includes(procState(sleeper)), 5_000, 'the sleep to die');
  });

  test('a program for another architecture is refused in one line', () => {
    const other = process.arch === 'arm64' ? 'x86_64' : 'aarch64';
    const r = utrc(['run', '-e', `arch ${other}\nengine e { on exec(x) do resume }`, '--', '/bin/true'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^utrc: <-e> is compiled for ${other} \\(its \`arch\` line or \`--arch\`\\), but this machine is `),
    );
    expect(r.stdout).toBe('');
  });

  test('--kill-on-exit: the command dies with utrc', async () => {
    const { cli, out } = startUtrc(['run', 'examples/syscount.utr', '--kill-on-exit', '--', 'sleep', '30']);
    const sleeper = await tracedSleepOf(cli);
    await waitFor(() => out.stderr.includes('\n'), 5_000, 'the note');
    expect(out.stderr).toBe('utrc: note: the traced processes are killed if utrc is killed (--kill-on-exit)\n');
    cli.kill('SIGKILL');
    await waitFor(() => [null, 'Z'].includes(procState(sleeper)), 5_000, 'the sleep to die with utrc');
  });

  test('--no-filter and --kill-on-exit without a command or -p are usage errors', () => {
    const r = utrc(['run', 'examples/syscount.utr', '--no-filter'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('utrc: `--no-filter` applies to real processes: add `-- CMD` or `-p PID`\n');
  });

  test('simulator-only options are refused with a real command', () => {
    const r = utrc(['run', 'examples/syscount.utr', '--workload', 'ls-R', '--', '/bin/true'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^utrc: `--workload` is for the simulator/);
  });
});

describe.runIf(process.platform === 'linux')('utrc run -p PID', () => {
  test('attaches to a sleeping process; Ctrl-C detaches and it runs on, not stopped', async () => {
    // The sleeper is the test's child, not utrc's: utrc runs in another process.
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(sleeper);
    const pid = sleeper.pid as number;
    const { cli, out, exited } = startUtrc(['run', 'examples/syscount.utr', '-p', String(pid)]);
    await waitFor(() => (tracerOf(pid) ?? 0) !== 0, 10_000, 'utrc to attach');
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out.stderr).toBe('utrc: note: detached: the traced processes run on untraced\n');
    expect(hasStackTrace(out.stderr)).toBe(false);
    expect(out.stdout).toMatch(/^calls:/m);
    expect(procState(pid)).toBe('S');
    expect(tracerOf(pid)).toBe(0);
  });

  test('-p PID,PID attaches the engines to every process given; they run on to their end after the detach', async () => {
    const programs = buildPrograms();
    const tickers = [0, 1].map(() => spawn(programs.ticker, ['100', '/dev/null'], { stdio: 'ignore' }));
    started.push(...tickers);
    const pids = tickers.map((t) => t.pid as number);
    const { cli, out, exited } = startUtrc(['run', '-e', WRITES_BY_PROCESS, '-p', pids.join(',')]);
    await waitFor(() => pids.every((pid) => (tracerOf(pid) ?? 0) !== 0), 10_000, 'utrc to attach to both');
    await new Promise((r) => setTimeout(r, 300));
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
    // The program names its syscall, but attached processes cannot get a filter: the note says so.
    expect(out.stderr).toMatch(/^utrc: note: attached processes cannot get a seccomp filter/m);
    for (const pid of pids) expect(out.stdout).toMatch(new RegExp(`^  ${pid} +[1-9][0-9]*$`, 'm'));
    const ends = tickers.map((t) => new Promise<number | null>((resolve) => t.on('exit', (code) => resolve(code))));
    expect(await Promise.all(ends)).toEqual([0, 0]);
  });

  test.runIf(hasScript)('at a terminal, end of input (Ctrl-D) detaches', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(sleeper);
    const pid = sleeper.pid as number;
    // script(1) gives utrc a terminal; the ^D typed there after it has attached is the end of input.
    const inner = `node ${ROOT}bin/utrc.js run examples/syscount.utr -p ${pid}; echo "status $?"`;
    const r = spawnSync('sh', ['-c', `(sleep 2; printf '\\004'; sleep 2) | script -qec '${inner}' /dev/null`], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stdout).toMatch(/detached: the traced processes run on untraced/);
    expect(r.stdout).toMatch(/status 0/);
    expect(procState(pid)).toBe('S');
    expect(tracerOf(pid)).toBe(0);
  });

  test('no such process is one line, exit 2', () => {
    const r = utrc(['run', 'examples/syscount.utr', '-p', '999999999'], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^utrc: (no such process: 999999999|`-p` takes process ids)/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  test('a process traced by someone else is refused, naming the tracer', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(sleeper);
    const pid = sleeper.pid as number;
    const { cli: first, exited } = startUtrc(['run', 'examples/syscount.utr', '-p', String(pid)]);
    await waitFor(() => (tracerOf(pid) ?? 0) !== 0, 10_000, 'the first utrc to attach');
    const r = utrc(['run', 'examples/syscount.utr', '-p', String(pid)], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^utrc: cannot attach to ${pid}: it is already traced by process ${first.pid}`),
    );
    first.kill('SIGINT');
    await exited;
    expect(procState(pid)).toBe('S');
  });
});
