import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatStraceWarning, importStrace } from '../../../../src/runtime/sim/workload/strace.js';
import { parseStraceLine, parseStraceResult } from '../../../../src/runtime/sim/workload/strace-line.js';
import { convertArg, parseSigset, splitTopLevel } from '../../../../src/runtime/sim/workload/strace-args.js';
import { countSyscalls } from '../../../../src/runtime/sim/workload/stats.js';
import { validateWorkload } from '../../../../src/runtime/sim/workload/validate.js';
import { decodeWorkload, workloadFromJson, workloadToJson } from '../../../../src/runtime/sim/workload/json.js';
import type { CloneOp, ExecOp, Op, SyscallOp, Workload } from '../../../../src/runtime/sim/workload/types.js';

const FIXTURES = [
  'ls-R.log',
  'sh-pipeline.log',
  'threads.log',
  'signals.log',
  'signals-stderr-T.log',
  'busy-ttt-T.log',
  'true-i-n.log',
  'true-k.log',
  'true-r.log',
  'thread-exec.log',
  'sh-jobcontrol.log',
];

function fixture(name: string): string {
  return readFileSync(new URL(`../../../fixtures/strace/${name}`, import.meta.url), 'utf8');
}

// An `strace -c`-style count made directly from the text, independently of the importer: every line whose body
// starts a call (`name(`), not counting `<... name resumed>` halves.
function countFromLog(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m =
      /^\s*(?:\[pid\s+\d+\] |\d+\s+)?(?:[\d:.]+\s+)?(?:\[\s*\d+\]\s+)?(?:\[[0-9a-f]+\]\s+)?([a-z_][a-z0-9_]*)\(/.exec(
        line,
      );
    if (m) counts.set(m[1] as string, (counts.get(m[1] as string) ?? 0) + 1);
  }
  return counts;
}

interface TreeNode {
  program: string;
  comm: string;
  mode: string;
  execs: string[];
  children: TreeNode[];
}

// The process tree as the imported workload describes it: each task, the programs it execs, and its children.
function tree(w: Workload): TreeNode {
  const walk = (program: string, comm: string, mode: string): TreeNode => {
    const node: TreeNode = { program, comm, mode, execs: [], children: [] };
    let current: string | undefined = program;
    while (current !== undefined) {
      const ops: readonly Op[] = w.programs[current]?.ops ?? [];
      current = undefined;
      for (const op of ops) {
        if (op.kind === 'clone' && !op.result) node.children.push(walk(op.child.program, comm, op.mode));
        if (op.kind === 'exec' && !op.result) {
          node.execs.push(op.path);
          comm = op.path.slice(op.path.lastIndexOf('/') + 1);
          current = op.program;
        }
      }
    }
    return node;
  };
  return walk(w.init.program, w.init.comm, 'init');
}

function ops(w: Workload): Op[] {
  return Object.values(w.programs).flatMap((p) => [...p.ops]);
}

describe('strace importer on real fixtures', () => {
  for (const name of FIXTURES) {
    it(`${name}: imports without warnings into a valid workload`, () => {
      const r = importStrace(fixture(name), { file: name });
      expect(r.warnings.map((w) => formatStraceWarning(w, name))).toEqual([]);
      expect(validateWorkload(r.workload).filter((p) => p.severity === 'error')).toEqual([]);
      expect(r.workload.source).toEqual({ kind: 'strace', file: name });
    });

    it(`${name}: syscall counts per name equal an strace -c count of the log`, () => {
      const text = fixture(name);
      const r = importStrace(text);
      expect(Object.fromEntries([...countSyscalls(r.workload)].sort())).toEqual(
        Object.fromEntries([...countFromLog(text)].sort()),
      );
      expect(r.stats.syscalls).toBe([...countFromLog(text).values()].reduce((a, b) => a + b, 0));
    });

    it(`${name}: round-trips through JSON`, () => {
      const w = importStrace(fixture(name)).workload;
      expect(workloadFromJson(workloadToJson(w))).toEqual(w);
    });
  }

  it('ls -R: one process that execs ls and walks each directory with openat/getdents64/close', () => {
    const { workload: w, stats } = importStrace(fixture('ls-R.log'));
    expect(w.init.comm).toBe('ls');
    expect(tree(w)).toMatchObject({ execs: ['/usr/bin/ls'], children: [] });
    expect(stats).toMatchObject({ processes: 1, threads: 0 });
    const dirs = ops(w).filter(
      (o): o is SyscallOp =>
        o.kind === 'syscall' &&
        o.name === 'openat' &&
        o.args[2]?.kind === 'int' &&
        (o.args[2].text ?? '').includes('O_DIRECTORY'),
    );
    expect(dirs.map((o) => (o.args[1]?.kind === 'str' ? o.args[1].value : ''))).toEqual([
      '/usr/share/doc/gcc-12-base',
      ...['C++', 'gcc', 'gomp', 'itm', 'quadmath', 'sanitizer'].map((d) => `/usr/share/doc/gcc-12-base/${d}`),
    ]);
    // Flags keep their value: O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY on x86_64.
    expect(dirs[0]?.args[2]).toEqual({
      kind: 'int',
      value: 0x90800n,
      text: 'O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY',
    });
    expect(dirs[0]?.args[0]).toEqual({ kind: 'int', value: -100n, text: 'AT_FDCWD' });
    expect(dirs[0]?.result).toEqual({ kind: 'value', value: 3n });
    const missing = ops(w).find((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'access');
    expect(missing?.result).toEqual({ kind: 'errno', errno: 'ENOENT' });
    // Binary reads keep their bytes; `= ?` of exit_group becomes the exit op.
    const elf = ops(w).find((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'read');
    expect(elf?.args[1]).toMatchObject({ kind: 'buf', hex: expect.stringMatching(/^7f454c46/) });
    expect(ops(w).at(-1)).toMatchObject({ kind: 'exit', code: 0, group: true });
    // -tt timestamps: gaps between calls become compute time.
    expect(ops(w).some((o) => o.kind === 'compute' && o.ns >= 1000n)).toBe(true);
  });

  it('sh pipeline: the process tree (two forks, one execs cat; a vfork that execs /bin/true)', () => {
    const { workload: w, stats } = importStrace(fixture('sh-pipeline.log'));
    expect(stats).toMatchObject({ processes: 4, threads: 0, signals: 3, externalSignals: 0 });
    const t = tree(w);
    expect(t.execs).toEqual(['/usr/bin/sh']);
    expect(t.children.map((c) => [c.mode, c.execs])).toEqual([
      ['fork', []],
      ['fork', ['/usr/bin/cat']],
      ['vfork', ['/bin/true']],
    ]);
    const vfork = ops(w).find((o): o is CloneOp => o.kind === 'clone' && o.mode === 'vfork');
    expect(vfork?.via).toBe('vfork');
    expect((vfork?.flags ?? 0n) & 0x4100n).toBe(0x4100n);
    // dash's SIGCHLD handler is imported inline: the disposition, then an rt_sigreturn after each SIGCHLD.
    expect(
      ops(w).filter((o) => o.kind === 'sigaction' && o.signal === 'SIGCHLD' && o.action === 'handler'),
    ).toHaveLength(1);
    expect(ops(w).filter((o) => o.kind === 'sigreturn')).toHaveLength(3);
    // The SIGCHLDs come from children the simulator will run, so no signal-in op is made for them.
    expect(ops(w).filter((o) => o.kind === 'signal-in')).toEqual([]);
    expect(ops(w).filter((o) => o.kind === 'wait').length).toBe(5);
  });

  it('joins <unfinished ...> and <... resumed> halves across tasks', () => {
    const { workload: w } = importStrace(fixture('sh-pipeline.log'));
    // 7878 newfstatat(AT_FDCWD, "/root/.cargo/bin/cat",  <unfinished ...>  …  <... newfstatat resumed>0x7ffdf4eacce0, 0) = -1 ENOENT
    const split = ops(w).filter(
      (o): o is SyscallOp => o.kind === 'syscall' && o.name === 'newfstatat' && o.line === 56,
    );
    expect(split).toHaveLength(1);
    expect(split[0]?.args).toEqual([
      { kind: 'int', value: -100n, text: 'AT_FDCWD' },
      { kind: 'str', value: '/root/.cargo/bin/cat' },
      { kind: 'int', value: 0x7ffdf4eacce0n },
      { kind: 'int', value: 0n },
    ]);
    expect(split[0]?.result).toEqual({ kind: 'errno', errno: 'ENOENT' });
    // The vfork's result arrives after the child's first lines; the child is still linked to it.
    const execTrue = ops(w).find((o): o is ExecOp => o.kind === 'exec' && o.path === '/bin/true');
    expect(execTrue).toMatchObject({ argv: ['/bin/true'], line: 213 });
  });

  it('threads: two CLONE_THREAD children with futex calls, each ending in exit (not exit_group)', () => {
    const { workload: w, stats } = importStrace(fixture('threads.log'));
    expect(stats).toMatchObject({ processes: 1, threads: 2 });
    const clones = ops(w).filter((o): o is CloneOp => o.kind === 'clone');
    expect(clones.map((c) => [c.mode, c.via, (c.flags & 0x10000n) !== 0n])).toEqual([
      ['thread', 'clone3', true],
      ['thread', 'clone3', true],
    ]);
    for (const c of clones) {
      const threadOps = w.programs[c.child.program]?.ops ?? [];
      expect(threadOps.at(-1)).toMatchObject({ kind: 'exit', group: false, code: 0 });
      expect(threadOps.some((o) => o.kind === 'syscall' && o.name === 'futex')).toBe(true);
    }
    // A futex wait that took long becomes an interruptible sleep of the recorded length.
    expect(ops(w).some((o) => o.kind === 'syscall' && o.name === 'futex' && o.block?.until === 'time')).toBe(true);
    // The sigset `[RTMIN RT_1]` is strace's kernel numbering: 32 and 33.
    expect(ops(w).find((o) => o.kind === 'sigmask' && o.how === 'unblock')).toMatchObject({
      signals: ['SIGRT_0', 'SIGRT_1'],
    });
  });

  for (const name of ['signals.log', 'signals-stderr-T.log']) {
    it(`${name}: handlers, timers, ping-pong kills, job control and the fatal SIGTERM`, () => {
      const { workload: w, stats } = importStrace(fixture(name));
      expect(stats).toMatchObject({ processes: 2, threads: 0, externalSignals: 0 });
      const t = tree(w);
      expect(t.children.map((c) => c.mode)).toEqual(['fork']);
      const all = ops(w);
      expect(
        all.filter((o) => o.kind === 'sigaction').map((o) => (o.kind === 'sigaction' ? [o.signal, o.action] : [])),
      ).toEqual([
        ['SIGALRM', 'handler'],
        ['SIGUSR1', 'handler'],
        ['SIGUSR2', 'ignore'],
      ]);
      expect(
        all
          .filter((o) => o.kind === 'timer')
          .map((o) => (o.kind === 'timer' ? [o.which, o.valueNs, o.intervalNs] : [])),
      ).toEqual([
        ['real', 10_000_000n, 10_000_000n],
        ['real', 0n, 0n],
      ]);
      const kills = all
        .filter((o) => o.kind === 'kill')
        .map((o) => (o.kind === 'kill' ? `${o.target.kind}:${o.signal}` : ''));
      expect(kills).toEqual(
        expect.arrayContaining(['child:SIGUSR1', 'parent:SIGUSR1', 'child:SIGSTOP', 'child:SIGCONT', 'child:SIGTERM']),
      );
      // rt_sigsuspend() woken by a SIGUSR1 the simulator sends sleeps until a signal comes, with its mask; pause(),
      // which has no mask to make it race-free, sleeps as long as the recording did until its SIGALRM.
      const suspends = all.filter((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'rt_sigsuspend');
      expect(suspends.length).toBeGreaterThanOrEqual(3);
      for (const p of suspends) expect(p.block).toEqual({ until: 'signal', mask: [] });
      const pauses = all.filter((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'pause');
      expect(pauses).toHaveLength(3);
      for (const p of pauses)
        expect(p.block?.until === 'time' && p.block.ns > 5_000_000n && p.block.ns < 15_000_000n).toBe(true);
      expect(
        all.filter((o) => o.kind === 'wait').map((o) => (o.kind === 'wait' ? [o.target.kind, o.options] : [])),
      ).toEqual([
        ['child', 2n],
        ['child', 8n],
        ['child', 0n],
      ]);
      // The child dies of SIGTERM sent by its parent: no exit op is invented and no external signal is added.
      const child = t.children[0]?.program ?? '';
      const childOps = w.programs[child]?.ops ?? [];
      expect(childOps.some((o) => o.kind === 'exit')).toBe(false);
      expect(childOps.some((o) => o.kind === 'signal-in')).toBe(false);
    });
  }

  it('a thread that execs takes over the process: the leader dies in pause(), the thread runs the new image', () => {
    const { workload: w, stats } = importStrace(fixture('thread-exec.log'));
    expect(stats).toMatchObject({ processes: 1, threads: 1 });
    const t = tree(w);
    expect(t.execs).toEqual(['./thread-exec']);
    expect(t.children.map((c) => [c.mode, c.execs])).toEqual([['thread', ['/bin/true']]]);
    // The leader's pause() never returned (`= ?`): it sleeps until the signal that kills it.
    const leader = w.programs[`${w.init.program}#2`]?.ops ?? [];
    expect(leader.at(-1)).toMatchObject({ kind: 'syscall', name: 'pause', block: { until: 'signal' } });
    // After the exec, the leader's pid's lines are the thread's: they end in the new image's exit_group.
    const image = Object.entries(w.programs).find(([name]) => name.endsWith(':true#2'))?.[1]?.ops ?? [];
    expect(image.at(-1)).toMatchObject({ kind: 'exit', group: true, code: 0 });
  });

  it('job control: the shell stops itself, a background subshell sends it SIGCONT', () => {
    const { workload: w, stats } = importStrace(fixture('sh-jobcontrol.log'));
    expect(stats).toMatchObject({ externalSignals: 0 });
    const kills = ops(w)
      .filter((o) => o.kind === 'kill')
      .map((o) => (o.kind === 'kill' ? `${o.target.kind}:${o.signal}` : ''));
    expect(kills).toEqual(['self:SIGSTOP', 'parent:SIGCONT']);
  });

  it('-r relative times are added up; -i/-n prefixes and -k stack frames are skipped', () => {
    const r = importStrace(fixture('true-r.log'));
    const gaps = ops(r.workload).filter((o) => o.kind === 'compute');
    expect(gaps.length).toBeGreaterThan(0);
    // Each gap is one line's delta, never an absolute time.
    for (const g of gaps) expect(g.kind === 'compute' && g.ns < 10_000_000n).toBe(true);
    for (const name of ['true-i-n.log', 'true-k.log']) {
      const w = importStrace(fixture(name)).workload;
      expect(tree(w).execs).toEqual(['/usr/bin/true']);
      expect(ops(w).at(-1)).toMatchObject({ kind: 'exit', group: true, code: 0 });
    }
  });

  it('-ttt -T without pids: durations become kernel time, gaps compute time', () => {
    const { workload: w } = importStrace(fixture('busy-ttt-T.log'));
    const writes = ops(w).filter((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'write');
    expect(writes).toHaveLength(5);
    expect(writes[0]).toMatchObject({
      args: [
        { kind: 'int', value: 1n },
        { kind: 'str', value: 'tick\n' },
        { kind: 'int', value: 5n },
      ],
      result: { kind: 'value', value: 5n },
      costNs: 10_000n,
    });
    expect(
      ops(w)
        .filter((o) => o.kind === 'syscall' && o.name === 'getpid')
        .every((o) => o.kind === 'syscall' && o.result?.kind === 'auto'),
    ).toBe(true);
  });
});

describe('strace importer on hand-written logs', () => {
  it('reports lines it cannot read with their line numbers, and goes on', () => {
    const log = [
      '100 12:00:00.000001 getpid() = 100',
      'this is not strace output',
      '100 12:00:00.000002 read(0, "", 1',
      '100 12:00:00.000003 exit_group(0) = ?',
      '100 12:00:00.000004 +++ exited with 0 +++',
    ].join('\n');
    const r = importStrace(log, { file: 'x.log' });
    expect(r.warnings.map((w) => formatStraceWarning(w, 'x.log'))).toEqual([
      'x.log:2: skipped: not a syscall, signal or exit line: this is not strace output',
      'x.log:3: skipped: the call to `read` has no `) = RESULT`: 100 12:00:00.000002 read(0, "", 1',
    ]);
    expect(Object.fromEntries(countSyscalls(r.workload))).toEqual({ getpid: 1, exit_group: 1 });
  });

  it('an empty log gives an empty but valid workload and says so', () => {
    const r = importStrace('');
    expect(r.warnings.map((w) => w.message)).toEqual(['the log contains no system calls']);
    expect(validateWorkload(r.workload).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('signals whose sender is outside the trace become signal-in ops; killed tasks get their fatal signal', () => {
    const log = [
      '200 10:00:00.000000 execve("/bin/sleep", ["sleep", "10"], 0x7ffd /* 3 vars */) = 0',
      '200 10:00:00.000100 clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=10, tv_nsec=0},  <unfinished ...>',
      '200 10:00:01.000100 <... clock_nanosleep resumed>0x7ffd1234) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)',
      '200 10:00:01.000200 --- SIGINT {si_signo=SIGINT, si_code=SI_KERNEL} ---',
      '200 10:00:01.000300 +++ killed by SIGINT +++',
    ].join('\n');
    const r = importStrace(log);
    expect(r.warnings).toEqual([]);
    const prog = Object.values(r.workload.programs).at(-1)?.ops ?? [];
    const sleep = prog.find((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'clock_nanosleep');
    expect(sleep?.block).toEqual({ until: 'time', ns: 1_000_000_000n });
    expect(sleep?.result).toEqual({ kind: 'errno', errno: 'ERESTART_RESTARTBLOCK' });
    expect(prog.filter((o) => o.kind === 'signal-in')).toEqual([
      { kind: 'signal-in', signal: 'SIGINT', code: 'SI_KERNEL', line: 4 },
    ]);
    expect(r.stats.externalSignals).toBe(1);
  });

  it('a call that never returns sleeps until the signal that kills it, unless that signal comes from outside', () => {
    const inside = importStrace(
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
    const outside = importStrace(
      '2 10:00:00.000001 read(0, "", 1) = ?\n2 10:00:00.000004 +++ killed by SIGKILL +++\n',
    ).workload;
    const read = (w: typeof inside): SyscallOp | undefined =>
      ops(w).find((o): o is SyscallOp => o.kind === 'syscall' && o.name === 'read');
    expect(read(inside)?.block).toEqual({ until: 'signal' });
    expect(read(outside)?.block).toBeUndefined();
    expect(ops(outside).at(-1)).toMatchObject({ kind: 'signal-in', signal: 'SIGKILL' });
  });

  it('names the missing <unfinished ...> half of a resumed call', () => {
    const r = importStrace('7 10:00:00.000000 <... read resumed>"x", 1) = 1\n');
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [1, '`<... read resumed>` has no matching `<unfinished ...>` call; imported on its own'],
    ]);
  });

  it('a pid the log reuses for a second child is reported, not merged into the first', () => {
    const log = [
      '1 10:00:00.000000 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 2',
      '2 10:00:00.000001 exit_group(0) = ?',
      '2 10:00:00.000002 +++ exited with 0 +++',
      '1 10:00:00.000003 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 2',
      '1 10:00:00.000004 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 2',
      '2 10:00:00.000005 exit_group(1) = ?',
      '1 10:00:00.000006 exit_group(0) = ?',
    ].join('\n');
    const r = importStrace(log);
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [5, 'pid 2 is created twice in the log (pid reuse); the second child is not imported'],
    ]);
  });

  it('unknown syscalls are skipped with a warning', () => {
    const r = importStrace(
      '7 10:00:00.000000 frobnicate(1) = 0\n7 10:00:00.000001 syscall_0x1c2(1, 2) = -1 ENOSYS (Function not implemented)\n',
    );
    expect(r.warnings.map((w) => w.message)).toEqual(['unknown syscall `frobnicate` for x86_64; skipped']);
    expect([...countSyscalls(r.workload).keys()]).toEqual(['syscall_450']);
  });
});

describe('strace line and argument parsing', () => {
  it('reads the prefixes of every output mode', () => {
    expect(parseStraceLine('7836  10:37:59.277975 getpid() = 7836')).toMatchObject({
      pid: 7836,
      timeNs: 38279277975000n,
      kind: 'syscall',
      name: 'getpid',
    });
    expect(parseStraceLine('[pid 13173] 10:42:48.604545 kill(13174, SIGUSR1 <unfinished ...>')).toMatchObject({
      pid: 13173,
      kind: 'unfinished',
      name: 'kill',
      args: '13174, SIGUSR1',
    });
    expect(parseStraceLine('1795776168.564917 write(1, "tick\\n", 5) = 5 <0.000010>')).toMatchObject({
      pid: undefined,
      timeNs: 1795776168564917000n,
      durationNs: 10000n,
      result: '5',
    });
    expect(parseStraceLine('getpid() = 1')).toMatchObject({ pid: undefined, timeNs: undefined, kind: 'syscall' });
    expect(parseStraceLine('12 10:00:00 getpid() = 12')).toMatchObject({ pid: 12, timeNs: 36000000000000n });
  });

  it('classifies signal, stop, exit and kill lines', () => {
    expect(
      parseStraceLine('--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7879, si_uid=0, si_status=0} ---'),
    ).toMatchObject({ kind: 'signal', signal: 'SIGCHLD', code: 'CLD_EXITED', senderPid: 7879 });
    expect(parseStraceLine('--- stopped by SIGSTOP ---')).toMatchObject({ kind: 'stopped', signal: 'SIGSTOP' });
    expect(parseStraceLine('+++ exited with 3 +++')).toMatchObject({ kind: 'exited', code: 3 });
    expect(parseStraceLine('+++ killed by SIGSEGV (core dumped) +++')).toMatchObject({
      kind: 'killed',
      signal: 'SIGSEGV',
      core: true,
    });
    expect(parseStraceLine('+++ superseded by execve in pid 12 +++')).toMatchObject({ kind: 'superseded', byPid: 12 });
  });

  it('finds the closing parenthesis past strings that contain `) = `', () => {
    expect(parseStraceLine('write(1, "a) = 1 (b", 9) = 9')).toMatchObject({
      kind: 'syscall',
      args: '1, "a) = 1 (b", 9',
      result: '9',
    });
  });

  it('reads results with errnos, annotations and fd paths', () => {
    expect(parseStraceResult('-1 ENOENT (No such file or directory)')).toEqual({ kind: 'errno', errno: 'ENOENT' });
    expect(parseStraceResult('? ERESTARTNOHAND (To be restarted if no handler)')).toEqual({
      kind: 'errno',
      errno: 'ERESTARTNOHAND',
    });
    expect(parseStraceResult('?')).toEqual({ kind: 'none' });
    expect(parseStraceResult('0x55e64f68a000')).toEqual({ kind: 'value', value: 0x55e64f68a000n });
    expect(parseStraceResult('3</etc/passwd>')).toEqual({ kind: 'value', value: 3n, text: '3</etc/passwd>' });
    expect(parseStraceResult('0 (Timeout)')).toEqual({ kind: 'value', value: 0n, text: '0 (Timeout)' });
    expect(parseStraceResult('banana')).toBeUndefined();
  });

  it('splits arguments at top-level commas only', () => {
    expect(splitTopLevel('3, {st_mode=S_IFREG|0644, st_size=1, ...}, "a, b", [1, 2], 0x7ffd /* 3, vars */')).toEqual([
      '3',
      '{st_mode=S_IFREG|0644, st_size=1, ...}',
      '"a, b"',
      '[1, 2]',
      '0x7ffd /* 3, vars */',
    ]);
    expect(splitTopLevel('')).toEqual([]);
  });

  it('converts arguments: numbers, flags (value kept when every name is known, else 0), strings, arrays, structs', () => {
    expect(convertArg('O_RDONLY|O_CLOEXEC', 'x86_64')).toEqual({
      kind: 'int',
      value: 0x80000n,
      text: 'O_RDONLY|O_CLOEXEC',
    });
    expect(convertArg('O_RDONLY|O_CLOEXEC', 'aarch64')).toEqual({
      kind: 'int',
      value: 0x80000n,
      text: 'O_RDONLY|O_CLOEXEC',
    });
    expect(convertArg('O_DIRECTORY', 'aarch64')).toMatchObject({ value: 0x4000n });
    expect(convertArg('O_RDONLY|O_BOGUS', 'x86_64')).toEqual({ kind: 'int', value: 0n, text: 'O_RDONLY|O_BOGUS' });
    expect(convertArg('S_IFREG|0644', 'x86_64')).toMatchObject({ value: 0o100644n });
    expect(convertArg('8192*1024', 'x86_64')).toMatchObject({ value: 8388608n });
    expect(convertArg('"/etc/passwd"', 'x86_64')).toEqual({ kind: 'str', value: '/etc/passwd' });
    expect(convertArg('"\\177ELF\\2\\0"...', 'x86_64')).toEqual({ kind: 'buf', size: 6, hex: '7f454c460200' });
    expect(convertArg('"\\177ELF"...', 'x86_64')).toEqual({ kind: 'str', value: '\x7fELF' });
    expect(convertArg('["ls", "-R"]', 'x86_64')).toEqual({ kind: 'strs', values: ['ls', '-R'] });
    expect(convertArg('flags=CLONE_VM|SIGCHLD', 'x86_64')).toMatchObject({ value: 0x111n });
    expect(convertArg('3</etc/passwd>', 'x86_64')).toEqual({ kind: 'int', value: 3n, text: '3</etc/passwd>' });
    expect(convertArg('{st_mode=S_IFDIR|0755, st_size=4096, ...}', 'x86_64')).toEqual({
      kind: 'struct',
      text: '{st_mode=S_IFDIR|0755, st_size=4096, ...}',
    });
    expect(convertArg('NULL', 'x86_64')).toEqual({ kind: 'int', value: 0n, text: 'NULL' });
  });

  it('reads signal sets, including complements and strace real-time names', () => {
    expect(parseSigset('[]')).toEqual([]);
    expect(parseSigset('[USR1 CHLD]')).toEqual(['SIGUSR1', 'SIGCHLD']);
    expect(parseSigset('~[KILL STOP RTMIN RT_1]')?.length).toBe(64 - 4);
    expect(parseSigset('[BOGUS]')).toBeUndefined();
  });
});

describe('strace importer properties', () => {
  const lines = FIXTURES.flatMap((f) => fixture(f).split('\n'));

  it('never throws on arbitrary text, and always returns a decodable workload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(...lines)), { maxLength: 30 }),
        (parts) => {
          const r = importStrace(parts.join('\n'));
          expect(decodeWorkload(r.workload)).toEqual(r.workload);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated real lines (cut, spliced, duplicated, reordered)', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...lines),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(
          '',
          '(',
          ')',
          '"',
          '<unfinished ...>',
          '<... read resumed>',
          ' = ',
          '{',
          '[',
          '\\',
          '---',
          '+++',
        ),
      )
      .map(([line, a, b, junk]) => {
        const i = a % (line.length + 1);
        const j = b % (line.length + 1);
        return line.slice(0, Math.min(i, j)) + junk + line.slice(Math.max(i, j));
      });
    fc.assert(
      fc.property(fc.array(fc.oneof(mutated, fc.constantFrom(...lines)), { maxLength: 60 }), (parts) => {
        const r = importStrace(parts.join('\n'));
        expect(r.stats.lines).toBeLessThanOrEqual(parts.length);
        expect(workloadFromJson(workloadToJson(r.workload), { validate: false })).toEqual(r.workload);
      }),
      { numRuns: 300 },
    );
  });
});
