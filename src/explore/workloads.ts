/**
 * Small workloads made for exploration: a handful of report points each, so every interleaving of the debugger side
 * with them can be enumerated. The built-in workloads of `utrc run` are thousands of system calls long. Which one a
 * program is explored on by default follows from what its engines can observe (`defaultExploreWorkload`).
 */
import type { CheckedProgram } from '../checker/program.js';
import { check } from '../checker/index.js';
import { SourceFile } from '../diagnostics/source.js';
import type { Block, Step } from '../parser/ast.js';
import { parse } from '../parser/index.js';
import { builtinWorkload, BUILTIN_WORKLOADS } from '../runtime/sim/workload/builtin.js';
import { FORK_FLAGS } from '../runtime/sim/workload/builder.js';
import type { Op, Workload } from '../runtime/sim/workload/types.js';

const getpid: Op = { kind: 'syscall', name: 'getpid', args: [] };
const compute = (ns: bigint): Op => ({ kind: 'compute', ns });
const exit0: Op = { kind: 'exit', code: 0, group: true };

function world(
  name: string,
  description: string,
  main: readonly Op[],
  programs: Readonly<Record<string, readonly Op[]>>,
): Workload {
  return {
    format: 1,
    name,
    description,
    arch: 'x86_64',
    init: { comm: 'tracee', program: 'main' },
    programs: Object.fromEntries([
      ['main', { ops: main }],
      ...Object.entries(programs).map(([k, ops]) => [k, { ops }] as const),
    ]),
    source: { kind: 'builder' },
  };
}

/** The explorer's own workloads, by name. */
export const EXPLORE_WORKLOADS: ReadonlyMap<string, () => Workload> = new Map([
  [
    'tiny',
    () =>
      world(
        'tiny',
        'compute, getpid, exec, getpid, SIGSEGV, SIGUSR1, exit: every kind of report point once',
        [compute(1000n), getpid, { kind: 'exec', path: '/bin/after', argv: ['after'], program: 'after' }],
        {
          after: [
            compute(1000n),
            getpid,
            { kind: 'signal-in', signal: 'SIGSEGV' },
            // No time between the two signals: a task let go from the first is at its next report at once, so a
            // debugger call racing the resume can land inside that callback.
            { kind: 'signal-in', signal: 'SIGUSR1' },
            compute(1000n),
            getpid,
            exit0,
          ],
        },
      ),
  ],
  [
    'blocked-read',
    () =>
      world(
        'blocked-read',
        'getpid, then a read on an idle pipe that never returns',
        [
          compute(1000n),
          getpid,
          {
            kind: 'syscall',
            name: 'read',
            args: [
              { kind: 'int', value: 0n },
              { kind: 'int', value: 0n },
              { kind: 'int', value: 0n },
            ],
            block: { until: 'wake', channel: 'idle-pipe' },
          },
          exit0,
        ],
        {},
      ),
  ],
  [
    'fork-exec',
    () =>
      world(
        'fork-exec',
        'fork a child that calls getpid and execs /bin/child; the parent calls getpid, waits for it and exits',
        [
          compute(1000n),
          { kind: 'clone', mode: 'fork', via: 'clone', flags: FORK_FLAGS, child: { program: 'child' } },
          getpid,
          { kind: 'wait', via: 'wait4', target: { kind: 'any' }, options: 0n },
          exit0,
        ],
        {
          child: [getpid, { kind: 'exec', path: '/bin/child', argv: ['child'], program: 'exec' }],
          exec: [compute(1000n), getpid, exit0],
        },
      ),
  ],
  [
    'killed-while-parked',
    () =>
      world(
        'killed-while-parked',
        'fork a child, take SIGUSR1; the child, after one system call, kills its parent with SIGKILL',
        [
          { kind: 'clone', mode: 'fork', via: 'clone', flags: FORK_FLAGS, child: { program: 'killer' } },
          { kind: 'signal-in', signal: 'SIGUSR1' },
          compute(1000n),
          exit0,
        ],
        { killer: [getpid, { kind: 'kill', via: 'kill', target: { kind: 'parent' }, signal: 'SIGKILL' }, exit0] },
      ),
  ],
]);

/** The workload names `--workload` accepts: the explorer's, then the built-ins of `utrc run`. */
export function exploreWorkloadNames(): string[] {
  return [...EXPLORE_WORKLOADS.keys(), ...BUILTIN_WORKLOADS.keys()];
}

/** A workload by name, or undefined. Built-ins are scaled down so a run stays short. */
export function exploreWorkload(name: string): Workload | undefined {
  const own = EXPLORE_WORKLOADS.get(name);
  if (own) return own();
  if (BUILTIN_WORKLOADS.has(name)) return builtinWorkload(name, { scale: 0.01 });
  return undefined;
}

/** The steps of a block and of every block nested in it (`if` branches, match arms), in source order. */
function* stepsIn(block: Block): Generator<Step> {
  for (const step of block.steps) {
    yield step;
    if (step.kind === 'IfStep') {
      yield* stepsIn(step.then);
      let e = step.else;
      while (e?.kind === 'IfStep') {
        yield* stepsIn(e.then);
        e = e.else;
      }
      if (e) yield* stepsIn(e);
    } else if ('arms' in step && step.arms) for (const arm of step.arms) yield* stepsIn(arm.body);
  }
}

/** Whether control code makes a utrace call after a confirmed stop (in a `stopped` arm), leaves its result unmatched
 * and then records that it worked (writes state): only a task killed while parked makes such a call fail. */
function actsUncheckedWhileParked(block: Block): boolean {
  const unchecked = (step: Step): boolean =>
    (step.kind === 'ActionStep' || step.kind === 'BarrierStep' || step.kind === 'EventsStep') && !step.arms;
  const writes = (step: Step): boolean =>
    step.kind === 'SetStep' || step.kind === 'UpdateStep' || step.kind === 'AppendStep';
  for (const step of stepsIn(block)) {
    if (step.kind !== 'ActionStep' || step.action !== 'stop' || !step.arms) continue;
    for (const arm of step.arms) {
      if (!arm.patterns.some((p) => p.kind === 'NamePattern' && p.name.name === 'stopped')) continue;
      const steps = arm.body.steps;
      const call = steps.findIndex(unchecked);
      if (call >= 0 && steps.slice(call + 1).some(writes)) return true;
    }
  }
  return false;
}

/**
 * The workload that can show what a program's engines can get wrong, chosen from the checked program: `blocked-read`
 * when control code waits for a stop (`await stopped`: a task asleep in a system call is what makes such a wait long,
 * and one with no time limit never end); `fork-exec` when an engine hears clones (children to follow, or to miss); `killed-while-parked` when
 * control code acts on a confirmed stop without looking at the result (only a task killed while parked makes that
 * call fail); else `tiny`, which has every other kind of report point once.
 */
export function workloadFor(program: CheckedProgram): string {
  const controlBodies = program.engines.flatMap((e) => [
    ...e.controls.map((c) => c.node.body),
    ...e.timers.map((t) => t.node.body),
  ]);
  if (controlBodies.some((b) => [...stepsIn(b)].some((step) => step.kind === 'AwaitStep'))) return 'blocked-read';
  if (program.engines.some((e) => e.subscribedEvents.includes('clone'))) return 'fork-exec';
  if (controlBodies.some(actsUncheckedWhileParked)) return 'killed-while-parked';
  return 'tiny';
}

/** The default workload for a source's text (parsed and checked here) or its checked program (`workloadFor`). */
export function defaultExploreWorkload(source: string | CheckedProgram): string {
  if (typeof source !== 'string') return workloadFor(source);
  const file = new SourceFile('<explore>', source);
  return workloadFor(check(parse(file), { source: file }));
}
