/**
 * Small workloads made for exploration: a handful of report points each, so every interleaving of the debugger side
 * with them can be enumerated. The built-in workloads of `utrc run` are thousands of system calls long.
 */
import { builtinWorkload, BUILTIN_WORKLOADS } from '../runtime/sim/workload/builtin.js';
import type { Op, Workload } from '../runtime/sim/workload/types.js';

const getpid: Op = { kind: 'syscall', name: 'getpid', args: [] };
const compute = (ns: bigint): Op => ({ kind: 'compute', ns });
const exit0: Op = { kind: 'exit', code: 0, group: true };

function world(name: string, description: string, main: readonly Op[], after: readonly Op[]): Workload {
  return {
    format: 1,
    name,
    description,
    arch: 'x86_64',
    init: { comm: 'tracee', program: 'main' },
    programs: { main: { ops: main }, after: { ops: after } },
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
        [
          compute(1000n),
          getpid,
          { kind: 'signal-in', signal: 'SIGSEGV' },
          compute(1000n),
          { kind: 'signal-in', signal: 'SIGUSR1' },
          compute(1000n),
          getpid,
          exit0,
        ],
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
        [exit0],
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

/** The default workload for a source: `blocked-read` when it waits for a stop with no time limit, else `tiny`. */
export function defaultExploreWorkload(text: string): string {
  return /await\s+stopped(?!\s+within)/.test(text) ? 'blocked-read' : 'tiny';
}
