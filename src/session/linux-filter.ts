/**
 * The seccomp filter of a Linux run, read off the checked program: when every syscall handler of the engines a run
 * involves is guarded by syscall numbers (`call.nr == openat`, `call.nr in {open, openat}`), only those syscalls
 * need to stop the tracee; any other syscall would run no handler, so it may run at full speed (strace's
 * `--seccomp-bpf` with `-e trace=`). One unguarded handler means every syscall must stop.
 */
import type { CheckedEngine, CheckedProgram } from '../checker/program.js';
import type { Expr, Handler } from '../parser/ast.js';

/** Which syscalls must stop: `all`, only `numbers`, or `none` when no engine handles syscalls. */
export type FilterChoice =
  | { readonly mode: 'all'; readonly reason: string }
  | { readonly mode: 'filter'; readonly numbers: readonly number[]; readonly names: readonly string[] }
  | { readonly mode: 'none' };

const SYSCALL_EVENTS = new Set(['syscall_entry', 'syscall_exit']);

/** A set of syscall numbers, or undefined when the guard admits syscalls we cannot bound. */
type NrSet = Set<number> | undefined;

/**
 * The syscalls a guard admits. `and` narrows (either side bounding it is enough), `or` widens (both sides must
 * bound it); anything else is unbounded.
 */
function guardSyscalls(engine: CheckedEngine, checked: CheckedProgram, guard: Expr, binding: string): NrSet {
  const isNr = (e: Expr): boolean =>
    e.kind === 'FieldExpr' && e.field.name === 'nr' && e.object.kind === 'NameExpr' && e.object.name.name === binding;
  const syscallNr = (e: Expr): number | undefined => {
    if (e.kind === 'IntLit') return Number(e.value);
    if (e.kind !== 'NameExpr') return undefined;
    const sym = engine.symbolOf(e) ?? checked.symbolOf(e);
    if (sym?.kind !== 'syscall') return undefined;
    return checked.arch.syscalls[sym.name];
  };
  switch (guard.kind) {
    case 'BinaryExpr': {
      if (guard.op === 'and') {
        const l = guardSyscalls(engine, checked, guard.left, binding);
        const r = guardSyscalls(engine, checked, guard.right, binding);
        if (l === undefined) return r;
        if (r === undefined) return l;
        return new Set([...l].filter((n) => r.has(n)));
      }
      if (guard.op === 'or') {
        const l = guardSyscalls(engine, checked, guard.left, binding);
        const r = guardSyscalls(engine, checked, guard.right, binding);
        return l === undefined || r === undefined ? undefined : new Set([...l, ...r]);
      }
      if (guard.op === '==') {
        const nr = isNr(guard.left) ? syscallNr(guard.right) : isNr(guard.right) ? syscallNr(guard.left) : undefined;
        return nr === undefined ? undefined : new Set([nr]);
      }
      return undefined;
    }
    case 'InExpr': {
      if (!isNr(guard.value)) return undefined;
      const numbers = guard.set.map(syscallNr);
      return numbers.every((n) => n !== undefined) ? new Set(numbers as number[]) : undefined;
    }
    default:
      return undefined;
  }
}

function handlerSyscalls(engine: CheckedEngine, checked: CheckedProgram, handler: Handler): NrSet {
  if (handler.guard === undefined || handler.binding === undefined) return undefined;
  return guardSyscalls(engine, checked, handler.guard, handler.binding.name);
}

/** The filter for a run of the engines named `engines` (those chosen and those they attach). */
export function chooseFilter(checked: CheckedProgram, engines: readonly string[]): FilterChoice {
  const numbers = new Set<number>();
  let handlers = 0;
  for (const engine of checked.engines) {
    if (!engines.includes(engine.name)) continue;
    for (const event of SYSCALL_EVENTS) {
      for (const h of engine.handlersFor(event as 'syscall_entry')) {
        handlers++;
        const admitted = handlerSyscalls(engine, checked, h.node);
        if (admitted === undefined) {
          const { line } = checked.source.lineCol(h.node.span.start);
          return {
            mode: 'all',
            reason: `engine \`${engine.name}\`'s \`on ${event}\` handler (line ${line}) is not limited to named syscalls`,
          };
        }
        for (const n of admitted) numbers.add(n);
      }
    }
  }
  if (handlers === 0) return { mode: 'none' };
  const sorted = [...numbers].sort((a, b) => a - b);
  const names = sorted.map((n) => checked.arch.syscallNames.get(n) ?? `syscall_${n}`);
  return { mode: 'filter', numbers: sorted, names };
}
