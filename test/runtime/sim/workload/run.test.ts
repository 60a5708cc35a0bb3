// Every built-in workload and every imported fixture runs to completion on the simulator with no engine attached,
// and its process tree ends the way the program it imitates ends.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../../src/runtime/sim/simulator.js';
import { BUILTIN_WORKLOADS, builtinWorkload } from '../../../../src/runtime/sim/workload/builtin.js';
import { countSyscalls } from '../../../../src/runtime/sim/workload/stats.js';
import { importStrace } from '../../../../src/runtime/sim/workload/strace.js';
import type { Workload } from '../../../../src/runtime/sim/workload/types.js';

interface Kernel {
  task: number;
  what: string;
  detail: string;
}

interface Outcome {
  reason: string;
  live: string[];
  kernel: Kernel[];
  /** Syscall name → calls made, from the simulator's own log. */
  calls: Map<string, number>;
  /** Task → exit status (`0x0`, `0xf`…), in the order tasks exited. */
  exits: Array<[number, string]>;
  reaped: Set<number>;
  clones: string[];
  execs: string[];
  stops: number[];
}

function run(w: Workload, seed: number): Outcome {
  const sim = new Simulator(w, { seed, keepLog: true });
  const r = sim.run({ maxTime: 60e9 });
  const kernel = sim.runtime.log.records.filter((x) => x.kind === 'kernel') as unknown as Kernel[];
  const calls = new Map<string, number>();
  for (const k of kernel) {
    if (k.what !== 'syscall') continue;
    const name = k.detail.split(' ')[0] as string;
    calls.set(name, (calls.get(name) ?? 0) + 1);
  }
  const stops = sim.runtime.log.records
    .filter((x) => x.kind === 'stop')
    .map((x) => (x as unknown as { task: number }).task);
  return {
    reason: r.reason,
    live: r.live,
    kernel,
    calls,
    exits: kernel.filter((k) => k.what === 'exit').map((k) => [k.task, k.detail.replace('status ', '')]),
    reaped: new Set(kernel.filter((k) => k.what === 'reap').map((k) => k.task)),
    clones: kernel.filter((k) => k.what === 'clone').map((k) => k.detail.replace(/ child \d+$/, '')),
    execs: kernel.filter((k) => k.what === 'exec').map((k) => k.detail),
    stops,
  };
}

const SEEDS = [1, 2, 7];

describe('built-in workloads on the simulator (no engines)', () => {
  for (const name of BUILTIN_WORKLOADS.keys()) {
    it(`${name} runs to completion: every task exits and is reaped, the first process last`, () => {
      for (const seed of SEEDS) {
        const o = run(builtinWorkload(name), seed);
        expect(o.reason).toBe('done');
        expect(o.live).toEqual([]);
        const tasks = new Set(o.exits.map(([t]) => t));
        expect(o.reaped).toEqual(tasks);
        expect(o.exits.at(-1)).toEqual([100, '0x0']);
      }
    });

    it(`${name} is deterministic: the same seed gives the same kernel log`, () => {
      const a = run(builtinWorkload(name), 3).kernel;
      const b = run(builtinWorkload(name), 3).kernel;
      expect(b).toEqual(a);
    });
  }

  it('busy-loop and ls-R make exactly the syscalls their programs list', () => {
    for (const name of ['busy-loop', 'ls-R']) {
      const w = builtinWorkload(name);
      expect(Object.fromEntries(run(w, 1).calls)).toEqual(Object.fromEntries(countSyscalls(w)));
    }
    expect(run(builtinWorkload('busy-loop', { scale: 2 }), 1).calls.get('getpid')).toBe(2000);
  });

  it('shell: a pipeline of two forks (one execs cat), then five vforks that exec /bin/true, all exiting 0', () => {
    for (const seed of SEEDS) {
      const o = run(builtinWorkload('shell'), seed);
      expect(o.clones).toEqual(['fork', 'fork', 'vfork', 'vfork', 'vfork', 'vfork', 'vfork']);
      expect(o.execs).toEqual(['/usr/bin/cat', ...Array(5).fill('/bin/true')]);
      expect(o.exits).toHaveLength(8);
      expect(o.exits.every(([, s]) => s === '0x0')).toBe(true);
      // cat read the pipe twice (data, then end of file) and wrote what it read.
      expect(o.calls.get('read')).toBeGreaterThanOrEqual(2);
    }
  });

  it('threads: three CLONE_THREAD workers pass the token round the ring and are joined', () => {
    for (const seed of SEEDS) {
      const o = run(builtinWorkload('threads'), seed);
      expect(o.clones).toEqual(['thread', 'thread', 'thread']);
      expect(o.exits.map(([, s]) => s)).toEqual(['0x0', '0x0', '0x0', '0x0']);
      // 3 workers × 4 rounds of writes, plus the final counter line.
      expect(o.calls.get('write')).toBe(13);
      expect(o.calls.get('futex')).toBe(3 * 4 * 2 + 1 + 3);
    }
  });

  it('signals: timer ticks and ping-pong run handlers, two job-control stops, the child dies of SIGTERM', () => {
    for (const seed of SEEDS) {
      const o = run(builtinWorkload('signals'), seed);
      const handled = o.kernel.filter((k) => k.what === 'handler').map((k) => k.detail);
      expect(handled.filter((d) => d === 'signal 14')).toHaveLength(3);
      expect(handled.filter((d) => d === 'signal 10')).toHaveLength(4);
      // SIGUSR2 is sent (tgkill) but ignored: no handler, no death.
      expect(o.kernel.some((k) => k.what === 'signal' && k.detail.startsWith('12 '))).toBe(true);
      expect(handled.some((d) => d === 'signal 12')).toBe(false);
      expect(o.stops).toEqual([101, 101]);
      expect(o.kernel.filter((k) => k.what === 'fatal').map(({ task, detail }) => [task, detail])).toEqual([
        [101, 'signal 15'],
      ]);
      expect(o.exits).toEqual([
        [101, '0xf'],
        [100, '0x0'],
      ]);
    }
  });
});

describe('imported strace fixtures on the simulator (no engines)', () => {
  const fixture = (name: string): Workload =>
    importStrace(readFileSync(new URL(`../../../fixtures/strace/${name}`, import.meta.url), 'utf8')).workload;

  // `exits` are the simulator's wait statuses (0xf: killed by SIGTERM; 0x9: the leader killed by another thread's
  // execve, as de_thread does).
  const expected: Record<string, { clones: string[]; execs: string[]; exits: string[] }> = {
    'ls-R.log': { clones: [], execs: ['/usr/bin/ls'], exits: ['0x0'] },
    'sh-pipeline.log': {
      clones: ['fork', 'fork', 'vfork'],
      execs: ['/usr/bin/sh', '/usr/bin/cat', '/bin/true'],
      exits: ['0x0', '0x0', '0x0', '0x0'],
    },
    'threads.log': { clones: ['thread', 'thread'], execs: ['./threads'], exits: ['0x0', '0x0', '0x0'] },
    'signals.log': { clones: ['fork'], execs: ['./signals'], exits: ['0xf', '0x0'] },
    'signals-stderr-T.log': { clones: ['fork'], execs: ['./signals'], exits: ['0xf', '0x0'] },
    'busy-ttt-T.log': { clones: [], execs: ['./busy'], exits: ['0x0'] },
    'true-i-n.log': { clones: [], execs: ['/usr/bin/true'], exits: ['0x0'] },
    'true-k.log': { clones: [], execs: ['/usr/bin/true'], exits: ['0x0'] },
    'true-r.log': { clones: [], execs: ['/usr/bin/true'], exits: ['0x0'] },
    'sh-jobcontrol.log': {
      clones: ['fork', 'vfork'],
      execs: ['/usr/bin/sh', '/usr/bin/sleep'],
      exits: ['0x0', '0x0', '0x0'],
    },
    'thread-exec.log': { clones: ['thread'], execs: ['./thread-exec', '/bin/true'], exits: ['0x9', '0x0'] },
  };

  for (const [name, want] of Object.entries(expected)) {
    it(`${name} replays to completion with the recorded process tree and exit statuses`, () => {
      const w = fixture(name);
      for (const seed of SEEDS) {
        const o = run(w, seed);
        expect(o.reason).toBe('done');
        expect(o.live).toEqual([]);
        expect(o.clones).toEqual(want.clones);
        expect(o.execs).toEqual(want.execs);
        expect(o.exits.map(([, s]) => s).sort()).toEqual([...want.exits].sort());
        // Every recorded syscall is made once at most; a process killed by another may die before its last calls
        // (the simulator's schedule is not the recorded one), the others make all of them.
        const recorded = countSyscalls(w);
        if (want.exits.some((status) => status !== '0x0')) {
          for (const [call, n] of o.calls) expect(n, call).toBeLessThanOrEqual(recorded.get(call) ?? 0);
        } else expect(Object.fromEntries(o.calls)).toEqual(Object.fromEntries(recorded));
      }
    });
  }

  it('sh-jobcontrol.log: the shell is stopped by its own SIGSTOP and woken by its subshell SIGCONT', () => {
    const w = fixture('sh-jobcontrol.log');
    for (const seed of SEEDS) expect(run(w, seed).stops).toEqual([100]);
  });

  it('a call recorded as never returning ends when the simulated kill arrives', () => {
    const w = importStrace(
      [
        '1 10:00:00.000000 clone(child_stack=NULL, flags=SIGCHLD) = 2',
        '2 10:00:00.000001 read(0,  <unfinished ...>',
        '1 10:00:00.000002 kill(2, SIGKILL) = 0',
        '2 10:00:00.000003 <... read resumed>) = ?',
        '2 10:00:00.000004 +++ killed by SIGKILL +++',
        '1 10:00:00.000005 wait4(-1, NULL, 0, NULL) = 2',
        '1 10:00:00.000006 exit_group(0) = ?',
      ].join('\n'),
    ).workload;
    for (const seed of SEEDS) {
      const o = run(w, seed);
      expect(o.reason).toBe('done');
      expect(o.exits.map(([, s]) => s)).toEqual(['0x9', '0x0']);
    }
  });
});
