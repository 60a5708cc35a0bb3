import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buf,
  children,
  int,
  ms,
  proc,
  str,
  strs,
  struct,
  target,
  workload,
  type ProgramBuilder,
  process as makeProcess,
} from '../../../../src/runtime/sim/workload/builder.js';
import { WorkloadError } from '../../../../src/runtime/sim/workload/errors.js';
import { decodeWorkload, workloadFromJson, workloadToJson } from '../../../../src/runtime/sim/workload/json.js';
import { validateWorkload } from '../../../../src/runtime/sim/workload/validate.js';
import type { Workload } from '../../../../src/runtime/sim/workload/types.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkloadError);
    return (e as Error).message;
  }
  throw new Error('expected a WorkloadError');
}

describe('workload builder', () => {
  it('builds the example from its doc comment into plain data', () => {
    const w = workload('ls', 'list one directory')
      .process('ls', (p) =>
        p
          .syscall('openat', 'AT_FDCWD', str('/etc'), 'O_RDONLY|O_DIRECTORY')
          .returns(3)
          .repeat(2, (b) => b.syscall('getdents64', 3, buf(32768), 32768).returns(600))
          .syscall('close', 3)
          .exit(0),
      )
      .build();
    expect(w).toEqual({
      format: 1,
      name: 'ls',
      description: 'list one directory',
      arch: 'x86_64',
      init: { comm: 'ls', program: 'ls' },
      source: { kind: 'builder' },
      programs: {
        ls: {
          ops: [
            {
              kind: 'syscall',
              name: 'openat',
              args: [
                { kind: 'int', value: -100n, text: 'AT_FDCWD' },
                { kind: 'str', value: '/etc' },
                { kind: 'int', value: 0x10000n, text: 'O_RDONLY|O_DIRECTORY' },
              ],
              result: { kind: 'value', value: 3n },
            },
            {
              kind: 'repeat',
              count: 2,
              body: [
                {
                  kind: 'syscall',
                  name: 'getdents64',
                  args: [
                    { kind: 'int', value: 3n },
                    { kind: 'buf', size: 32768 },
                    { kind: 'int', value: 32768n },
                  ],
                  result: { kind: 'value', value: 600n },
                },
              ],
            },
            { kind: 'syscall', name: 'close', args: [{ kind: 'int', value: 3n }] },
            { kind: 'exit', code: 0, group: true },
          ],
        },
      },
    });
  });

  it('chains a one-process workload without a callback, as process(comm)…build()', () => {
    const w = makeProcess('ls')
      .syscall('openat', 'AT_FDCWD', str('/etc'), 'O_RDONLY')
      .returns(3)
      .repeat(1000, (b) => b.getpid())
      .fork('child', { label: 'c' })
      .wait(children.child('c'))
      .program('child', (c) => c.exit(2))
      .build();
    expect(w.name).toBe('ls');
    expect(w.init).toEqual({ comm: 'ls', program: 'ls' });
    expect(w.programs.ls?.ops.map((o) => o.kind)).toEqual(['syscall', 'repeat', 'clone', 'wait']);
    // The fd is never closed: a warning, not an error, so build() accepted it.
    expect(validateWorkload(w).map((p) => `${p.severity}: ${p.message}`)).toEqual([
      'warning: fd 3 is opened here and never closed',
    ]);
    expect(message(() => makeProcess('x').fork('nope').build())).toMatch(/program `nope` does not exist/);
  });

  it('names inline child, exec and handler programs after their parent', () => {
    const w = workload('tree', 'forks and handlers')
      .process('sh', (p) =>
        p
          .handle('SIGCHLD', (h) => h.getpid())
          .fork((c) => c.exec('/bin/true', ['true'], (t) => t.exit(0)), { label: 'kid' })
          .wait(children.child('kid')),
      )
      .build();
    expect(Object.keys(w.programs)).toEqual(['sh', 'sh/on-SIGCHLD-1', 'sh/fork-2', 'sh/fork-2/exec-3']);
  });

  it('lets a program refer to itself by name (recursion) and to programs defined later', () => {
    const w = workload('self', 'a program that forks a copy of a named program')
      .program('child', (c) => c.exit(0))
      .process('parent', (p) => p.fork('child', { label: 'c' }).wait(children.child('c')).exit(0))
      .build();
    expect(validateWorkload(w)).toEqual([]);
  });

  it('rejects an unknown syscall at the call, naming the program, op and a suggestion', () => {
    expect(message(() => workload('w', 'd').process('ls', (p) => p.syscall('getpid').syscall('opnat', 0)))).toBe(
      'program `ls`, op 1: unknown syscall `opnat` for x86_64 (did you mean `openat`?)',
    );
    // A name that exists on one arch only.
    expect(
      message(() => workload('w', 'd', { arch: 'aarch64' }).process('x', (p) => p.syscall('open', str('/')))),
    ).toMatch(/unknown syscall `open` for aarch64/);
    expect(() => workload('w', 'd').process('x', (p) => p.syscall('syscall_451'))).not.toThrow();
  });

  it('rejects unknown constants, signals and errnos with suggestions', () => {
    expect(
      message(() => workload('w', 'd').process('x', (p) => p.syscall('openat', 'AT_FDCWD', str('/'), 'O_RDONY'))),
    ).toBe('program `x`, op 0: unknown constant `O_RDONY` (did you mean `O_RDONLY`?)');
    expect(
      message(() => workload('w', 'd').process('x', (p) => p.syscall('openat', 'AT_FDCWD', '/etc/passwd'))),
    ).toMatch(
      /`\/etc\/passwd` is not a number or flag expression \(use `str\('\/etc\/passwd'\)` for a string argument\)/,
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.kill(target.self, 'SIGUSR3')))).toBe(
      'program `x`, op 0: unknown signal `SIGUSR3` (did you mean `SIGUSR1`?)',
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.kill(target.self, '10')))).toMatch(
      /signals are written by name/,
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.getpid().fails('ENOENTT')))).toBe(
      'program `x`, op 1: unknown errno `ENOENTT` (did you mean `ENOENT`?)',
    );
  });

  it('rejects modifiers in the wrong place', () => {
    expect(message(() => workload('w', 'd').process('x', (p) => p.returns(3)))).toBe(
      'program `x`, op 0: `returns()` must follow the op it modifies',
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.compute(5).returns(3)))).toBe(
      'program `x`, op 1: `returns()` must follow `syscall()`, not a `compute` op',
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.compute(5).costs(3)))).toMatch(
      /a `compute` op makes no syscall/,
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.syscall('getpid', 1, 2, 3, 4, 5, 6, 7)))).toMatch(
      /at most 6/,
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.repeat(-1, (b) => b)))).toMatch(
      /non-negative integer, not -1/,
    );
    expect(message(() => workload('w', 'd').process('x', (p) => p.getpid().wakes('c', 0)))).toMatch(
      /positive integer, not 0/,
    );
  });

  it('checks the whole workload at build(): a missing child program, an unknown label, a channel nobody posts', () => {
    expect(
      message(() =>
        workload('w', 'd')
          .process('x', (p) => p.fork('nope'))
          .build(),
      ),
    ).toBe('workload `w` is invalid: programs.x.ops[0].child.program: program `nope` does not exist (programs: `x`)');
    expect(
      message(() =>
        workload('w', 'd')
          .process('x', (p) => p.kill(target.child('kid'), 'SIGTERM'))
          .build(),
      ),
    ).toMatch(/no child process is created with label `kid`/);
    expect(
      message(() =>
        workload('w', 'd')
          .process('x', (p) => p.syscall('read', 0, buf(1), 1).waitsOn('pipe'))
          .build(),
      ),
    ).toMatch(/wake channel `pipe` is waited on but nothing ever posts it/);
    expect(message(() => workload('w', 'd').build())).toBe(
      'workload `w` has no initial process: call `.process(comm, body)`',
    );
    expect(
      message(() =>
        workload('w', 'd')
          .process('a', (p) => p)
          .process('b', (p) => p),
      ),
    ).toMatch(/already has an initial process/);
    expect(
      message(() =>
        workload('w', 'd')
          .program('p', (p) => p)
          .program('p', (p) => p),
      ),
    ).toBe('program `p` is defined twice in workload `w`');
  });

  it('collects every error, not just the first', () => {
    try {
      workload('w', 'd')
        .process('x', (p) => p.fork('a').fork('b'))
        .build();
      throw new Error('expected a WorkloadError');
    } catch (e) {
      expect((e as WorkloadError).problems).toHaveLength(2);
      expect((e as Error).message).toMatch(/\(and 1 more\)$/);
    }
  });

  it('spells the common calls the way glibc makes them', () => {
    const w = workload('w', 'd')
      .process('x', (p) => p.write(1, 'hé\n').pause().sigsuspend('SIGUSR1').sleep(ms(1500)).exit(0))
      .build();
    const ops = w.programs.x?.ops ?? [];
    expect(ops[0]).toEqual({
      kind: 'syscall',
      name: 'write',
      args: [int(1), { kind: 'buf', size: 4, hex: '68c3a90a' }, int(4)],
      result: { kind: 'value', value: 4n },
    });
    expect(ops[1]).toMatchObject({
      name: 'pause',
      block: { until: 'signal' },
      result: { kind: 'errno', errno: 'EINTR' },
    });
    expect(ops[2]).toMatchObject({ name: 'rt_sigsuspend', block: { until: 'signal', mask: ['SIGUSR1'] } });
    expect(ops[3]).toMatchObject({
      name: 'clock_nanosleep',
      args: [{ text: 'CLOCK_REALTIME' }, int(0), { kind: 'struct', text: '{tv_sec=1, tv_nsec=500000000}' }, int(0)],
      block: { until: 'time', ns: 1_500_000_000n },
    });
  });

  it('sets clone flags by mode and checks given ones', () => {
    const w = workload('w', 'd')
      .process('x', (p) =>
        p
          .thread((t) => t.exitThread(0), { label: 't' })
          .vfork((c) => c.exit(0))
          .fork((c) => c.exit(0))
          .wait()
          .wait(),
      )
      .build();
    const clones = (w.programs.x?.ops ?? []).filter((o) => o.kind === 'clone');
    expect(clones.map((c) => (c.kind === 'clone' ? [c.mode, c.via, c.flags] : []))).toEqual([
      ['thread', 'clone3', 0x3d0f00n],
      ['vfork', 'vfork', 0x4111n],
      ['fork', 'clone', 0x1200011n],
    ]);
    expect(
      message(() =>
        workload('w', 'd')
          .process('x', (p) => p.thread((t) => t, { flags: 'CLONE_VM' }))
          .build(),
      ),
    ).toMatch(/a `thread` clone needs `CLONE_THREAD`/);
  });

  it('accepts registers of the arch only', () => {
    expect(
      workload('w', 'd')
        .process('x', (p) => p, { regs: { rsp: 0x7fff0000 } })
        .build().init.regs,
    ).toEqual({ rsp: 0x7fff0000n });
    expect(message(() => workload('w', 'd').process('x', (p) => p, { regs: { rspp: 1 } }))).toBe(
      '`rspp` is not a register of x86_64 (did you mean `rsp`?)',
    );
  });
});

describe('validateWorkload', () => {
  const base = (ops: Workload['programs'][string]['ops'], extra: Workload['programs'] = {}): Workload => ({
    format: 1,
    name: 't',
    description: 't',
    arch: 'x86_64',
    init: { comm: 'x', program: 'main' },
    programs: { main: { ops }, ...extra },
  });

  it('refuses plain syscall ops for calls the simulator must act on', () => {
    const problems = validateWorkload(base([{ kind: 'syscall', name: 'fork', args: [] }]));
    expect(problems).toEqual([
      {
        severity: 'error',
        where: 'programs.main.ops[0].name',
        message: '`fork` must be written as a `clone` op: the simulator does not act on a plain `syscall` op',
      },
    ]);
  });

  it('warns about unclosed fds, unreached programs, un-waited children and vfork children that neither exec nor exit', () => {
    const problems = validateWorkload(
      base(
        [
          { kind: 'syscall', name: 'openat', args: [], result: { kind: 'value', value: 3n } },
          { kind: 'clone', mode: 'vfork', via: 'vfork', flags: 0x4111n, child: { program: 'kid' } },
        ],
        { kid: { ops: [{ kind: 'syscall', name: 'getpid', args: [] }] }, orphan: { ops: [] } },
      ),
    );
    expect(problems.map((p) => `${p.severity} ${p.where}: ${p.message}`)).toEqual([
      'warning programs.main.ops[0]: fd 3 is opened here and never closed',
      'warning programs.main: program `main` forks children but never waits for them',
      'warning programs.kid: vfork child program `kid` neither execs nor exits: a real vfork child must do one of them',
      'warning programs.orphan: program `orphan` is never run (nothing reachable from `init` starts it)',
    ]);
  });

  it('counts wake tokens through loops: a waiter that can never be woken is an error', () => {
    const taker = { kind: 'syscall' as const, name: 'read', args: [], block: { until: 'wake' as const, channel: 'c' } };
    const poster = { kind: 'syscall' as const, name: 'write', args: [], wake: { channel: 'c' } };
    expect(
      validateWorkload(
        base([
          { kind: 'repeat', count: 3, body: [poster] },
          { kind: 'repeat', count: 3, body: [taker] },
        ]),
      ),
    ).toEqual([]);
    expect(
      validateWorkload(
        base([
          { kind: 'repeat', count: 2, body: [poster] },
          { kind: 'repeat', count: 3, body: [taker] },
        ]),
      ),
    ).toEqual([
      {
        severity: 'error',
        where: 'programs',
        message: 'wake channel `c` is waited on 3 times but posted only 2 times: a waiter blocks forever',
      },
    ]);
  });

  it('checks signal names, errnos, exit codes and dispositions that the kernel refuses', () => {
    const problems = validateWorkload(
      base([
        { kind: 'sigaction', signal: 'SIGKILL', action: 'ignore' },
        { kind: 'kill', via: 'kill', target: { kind: 'thread-self' }, signal: 'SIGBANANA' },
        { kind: 'syscall', name: 'getpid', args: [], result: { kind: 'errno', errno: 'EWHAT' } },
        { kind: 'exit', code: 300, group: true },
      ]),
    );
    expect(problems.map((p) => p.message)).toEqual([
      'the disposition of `SIGKILL` cannot be changed (the kernel returns EINVAL)',
      'unknown signal `SIGBANANA`',
      '`kill` signals a process; use `tgkill` for a thread',
      'unknown errno `EWHAT`',
      'exit code must be 0..255, not 300',
    ]);
  });
});

describe('workload JSON', () => {
  it('writes bigints as {"$bigint": "…"} and reads them back', () => {
    const w = workload('j', 'd')
      .process('x', (p) => p.syscall('mmap', 0, 0xffffffffffffffffn, -1).returns(-1n).exit(0))
      .build();
    const text = workloadToJson(w);
    expect(text).toContain('{"$bigint":"18446744073709551615"}');
    expect(text).toContain('{"$bigint":"-1"}');
    expect(workloadFromJson(text)).toEqual(w);
  });

  it('names the bad field of a hand-edited file', () => {
    const good = JSON.parse(
      workloadToJson(
        workload('j', 'd')
          .process('x', (p) => p.getpid())
          .build(),
      ),
    ) as Record<string, unknown>;
    const bad = (patch: (o: Record<string, unknown>) => void): string => {
      const o = structuredClone(good);
      patch(o);
      return message(() => workloadFromJson(JSON.stringify(o)));
    };
    expect(bad((o) => (o.format = 2))).toBe('`workload.format` is 2; this version of utrc reads format 1');
    expect(bad((o) => (o.arch = 'mips'))).toBe('`workload.arch` is `mips`; expected `x86_64` or `aarch64`');
    expect(bad((o) => ((o.programs as { x: { ops: unknown[] } }).x.ops[0] = { kind: 'jump' }))).toMatch(
      /^`programs\.x\.ops\[0\]\.kind` must be one of `syscall`, `compute`/,
    );
    expect(
      bad(
        (o) => ((o.programs as { x: { ops: Array<Record<string, unknown>> } }).x.ops[0] = { kind: 'compute', ns: 5 }),
      ),
    ).toBe('`programs.x.ops[0].ns` must be a bigint (`{"$bigint": "…"}`)');
    expect(message(() => workloadFromJson('{"format": 1,'))).toMatch(/^the workload is not valid JSON: /);
    expect(message(() => workloadFromJson('{"$bigint": "12x"}'))).toBe(
      '`$bigint` holds `12x`, which is not a decimal integer',
    );
  });

  // Random programs made through the builder: ops of every kind, nested loops, pointer arguments.
  const opArb = fc.oneof(
    fc.record({ n: fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }), s: fc.string() }).map(
      ({ n, s }) =>
        (p: ProgramBuilder) =>
          p.syscall('write', n, str(s), buf(4, 'ab'), strs([s, 'x']), struct(s, 8)).returns(n),
    ),
    fc.nat().map((n) => (p: ProgramBuilder) => p.compute(n)),
    fc
      .constantFrom('ENOENT', 'EINTR', 'EAGAIN')
      .map((e) => (p: ProgramBuilder) => p.syscall('openat', 'AT_FDCWD', str('/x'), 'O_RDONLY').fails(e)),
    fc
      .constantFrom('SIGUSR1', 'SIGTERM', 'SIGRTMIN+2')
      .map((s) => (p: ProgramBuilder) => p.block(s).unblock(s).kill(target.self, s)),
    fc.nat({ max: 10 }).map((n) => (p: ProgramBuilder) => p.setitimer('real', ms(n), ms(n)).alarm(n)),
    fc.constant((p: ProgramBuilder) =>
      p
        .fork((c) => c.getpid().exit(3), { label: 'k' })
        .setpgid(proc.child('k'))
        .wait(children.pgrp('k'), 'WUNTRACED|WCONTINUED'),
    ),
    fc.constant((p: ProgramBuilder) =>
      p
        .syscall('futex', 0, 'FUTEX_WAKE_PRIVATE', 1)
        .wakes('ch', 2)
        .syscall('futex', 0, 'FUTEX_WAIT_PRIVATE', 0)
        .waitsOn('ch', 5),
    ),
  );
  const bodyArb = fc.array(
    fc.oneof(
      opArb,
      fc.tuple(fc.nat({ max: 4 }), fc.array(opArb, { maxLength: 3 })).map(
        ([n, inner]) =>
          (p: ProgramBuilder) =>
            p.repeat(n, (b) => inner.forEach((f) => f(b))),
      ),
    ),
    { maxLength: 8 },
  );

  it('builder → JSON → parse gives the same workload (fast-check)', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const w = workload('prop', 'random')
          .process('p', (p) => {
            body.forEach((f) => f(p));
            p.exit(0);
          })
          .build();
        const back = workloadFromJson(workloadToJson(w, 2));
        expect(back).toEqual(w);
        expect(decodeWorkload(back)).toEqual(w);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reading hand-edited workload JSON', () => {
  const base = JSON.parse(
    workloadToJson(
      workload('j', 'd')
        .process('x', (p) =>
          p
            .fork((c) => c.exit(1), { label: 'k' })
            .wait(children.child('k'))
            .exit(0),
        )
        .build(),
    ),
  ) as unknown;

  // Every path to a value inside a JSON tree.
  const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] => {
    if (Array.isArray(v)) return [at, ...v.flatMap((x, i) => paths(x, [...at, i]))];
    if (typeof v === 'object' && v !== null)
      return [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
    return [at];
  };
  const all = paths(base).filter((p) => p.length > 0);

  it('a workload with any one value replaced by any JSON value is read or refused with a WorkloadError, never a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue(), (path, value) => {
        const doc = structuredClone(base) as Record<string | number, unknown>;
        let node: Record<string | number, unknown> = doc;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[path[path.length - 1] as string | number] = value;
        try {
          workloadFromJson(JSON.stringify(doc));
        } catch (e) {
          expect(e).toBeInstanceOf(WorkloadError);
          expect((e as Error).message).not.toMatch(/undefined|\[object Object\]/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
