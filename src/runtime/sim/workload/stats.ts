/** Static facts about a workload: which syscalls it makes and how often, as `strace -c` would count them. */
import type { Op, Workload } from './types.js';

/** The syscall an op makes (`undefined` for `compute`, `repeat` and `signal-in`, which make none). */
export function opSyscallName(o: Op): string | undefined {
  switch (o.kind) {
    case 'syscall':
      return o.name;
    case 'clone':
    case 'kill':
    case 'wait':
    case 'timer':
      return o.via;
    case 'exec':
      return 'execve';
    case 'exit':
      return o.group ? 'exit_group' : 'exit';
    case 'sigaction':
      return 'rt_sigaction';
    case 'sigmask':
      return 'rt_sigprocmask';
    case 'sigreturn':
      return 'rt_sigreturn';
    case 'setpgid':
      return 'setpgid';
    case 'compute':
    case 'repeat':
    case 'signal-in':
      return undefined;
  }
}

/**
 * Syscall name → number of calls in one pass over every program (loop bodies counted `count` times). Each
 * program is counted once, however many tasks run it: for an imported log, where each task has its own
 * programs, this is exactly the log's per-syscall count.
 */
export function countSyscalls(w: Workload): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (ops: readonly Op[], times: number): void => {
    for (const o of ops) {
      if (o.kind === 'repeat') visit(o.body, times * o.count);
      const name = opSyscallName(o);
      if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + times);
    }
  };
  for (const p of Object.values(w.programs)) visit(p.ops, 1);
  return counts;
}
