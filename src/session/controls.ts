/**
 * `--control NAME[:ARGS]@TIME`: a control operation to invoke at a runtime time, with its arguments parsed by the
 * types of the control's parameters (ints, durations, syscall and signal names, booleans, strings, tasks).
 */
import { SIGNALS, SIGRTMAX, type Arch } from '../arch/index.js';
import { durationNanos, integerValue, type LiteralProblem } from '../parser/literals.js';
import type { ControlArg, ParamKind } from '../runtime/index.js';

/** A parsed `--control` request (arguments still text until the control's parameter types are known). */
export interface ControlRequest {
  /** `NAME` or `ENGINE.NAME`. */
  readonly engine?: string;
  readonly name: string;
  readonly args: readonly string[];
  /** Runtime time to invoke it at (ns). */
  readonly atNs: number;
  /** The option as written, for messages. */
  readonly text: string;
}

/** A problem with a `--control` option or its arguments (a usage error). */
export class ControlError extends Error {}

/**
 * A duration as the language writes it (`10ms`, `1s`), in nanoseconds, read by the parser's own `durationNanos` (so
 * the same units and the same 64-bit limit); or why it is none. A zero needs no unit.
 */
export function parseDuration(text: string): bigint | LiteralProblem {
  const trimmed = text.trim();
  return /^0[0_]*$/.test(trimmed) ? 0n : durationNanos(trimmed);
}

/** A literal's problem as the end of a one-line message: `…; help`. */
function explain(problem: LiteralProblem): string {
  return problem.help !== undefined ? `${problem.message}; ${problem.help}` : problem.message;
}

/** Parses `NAME[:ARG,ARG…][@TIME]` (TIME defaults to 0: as soon as the run starts). */
export function parseControlOption(text: string): ControlRequest {
  const at = text.lastIndexOf('@');
  const head = at >= 0 ? text.slice(0, at) : text;
  const when = at >= 0 ? text.slice(at + 1) : '0';
  const atNs = parseDuration(when);
  if (typeof atNs !== 'bigint') throw new ControlError(`\`--control ${text}\`: ${explain(atNs)}`);
  const colon = head.indexOf(':');
  const target = colon >= 0 ? head.slice(0, colon) : head;
  const args = colon >= 0 ? head.slice(colon + 1).split(',') : [];
  const m = /^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(target);
  if (!m) throw new ControlError(`\`--control ${text}\`: \`${target}\` is not a control name (NAME or ENGINE.NAME)`);
  return { ...(m[1] !== undefined ? { engine: m[1] } : {}), name: m[2] as string, args, atNs: Number(atNs), text };
}

/** The largest task id a control argument may name: no Linux thread id exceeds FUTEX_TID_MASK (as `-p` checks). */
const MAX_TASK_ID = 0x3fffffff;

/** Converts one argument to the value of a parameter of kind `kind`. */
export function parseControlArg(text: string, kind: ParamKind, param: string, arch: Arch): ControlArg {
  const bad = (what: string): ControlError =>
    new ControlError(`argument \`${param}\` must be ${what}, not \`${text}\``);
  switch (kind) {
    case 'int': {
      if (!/^-?(0x[0-9a-fA-F_]+|[0-9][0-9_]*)$/.test(text)) throw bad('an integer');
      const neg = text.startsWith('-');
      const v = integerValue(neg ? text.slice(1) : text);
      if (typeof v !== 'bigint') throw new ControlError(`argument \`${param}\`: ${explain(v)}`);
      return BigInt.asIntN(64, neg ? -v : v);
    }
    case 'duration': {
      const v = parseDuration(text);
      if (typeof v !== 'bigint') throw new ControlError(`argument \`${param}\`: ${explain(v)}`);
      return v;
    }
    case 'bool':
      if (text !== 'true' && text !== 'false') throw bad('`true` or `false`');
      return text === 'true';
    case 'string':
      return text;
    case 'task': {
      if (!/^[1-9][0-9]*$/.test(text) || Number(text) > MAX_TASK_ID) throw bad('a task id');
      return Number(text);
    }
    case 'syscall': {
      // The kernel reads a system call number as an `int` (`syscall_get_nr`).
      const nr = Object.hasOwn(arch.syscalls, text)
        ? arch.syscalls[text]
        : /^[0-9]+$/.test(text) && Number(text) <= 0x7fffffff
          ? Number(text)
          : undefined;
      if (nr === undefined) throw bad(`a system call name of ${arch.name} or a number`);
      return BigInt(nr);
    }
    case 'signal': {
      const info = SIGNALS.get(text) ?? SIGNALS.get(`SIG${text}`);
      if (info) return BigInt(info.number);
      if (/^[0-9]+$/.test(text) && Number(text) <= SIGRTMAX) return BigInt(text);
      throw bad(`a signal name such as \`SIGINT\` or a number from 0 to ${SIGRTMAX}`);
    }
  }
}
