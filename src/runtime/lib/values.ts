/**
 * Value representations shared by generated code and the session: registers, maps with default values, and the
 * default value of each `.utr` type (what reading a missing map entry gives, as in bpftrace).
 */

/** A register snapshot: register name to value, as `fetch regs` takes it. */
export type Regs = Readonly<Record<string, bigint>>;

/** The empty snapshot a `regs` variable holds before `fetch regs`. */
export const NO_REGS: Regs = Object.freeze({});

/** One register of a snapshot (the checker only lets through names of the architecture). */
export function reg(regs: Regs, name: string): bigint {
  return Object.hasOwn(regs, name) ? (regs[name] ?? 0n) : 0n;
}

/**
 * `map<K, V>`: a `Map` whose missing entries read as V's default (0, false, "", an empty list…) without being
 * created; updating an entry creates it. Keys are primitives (bigint, string, boolean, task number), compared by
 * value, so no key can collide with an object property such as `__proto__`.
 */
export class StateMap<K, V> extends Map<K, V> {
  constructor(private readonly fresh: () => V) {
    super();
  }

  /** `m[k]` as a value: the entry, or the default without creating it. */
  at(key: K): V {
    return this.has(key) ? (this.get(key) as V) : this.fresh();
  }

  /** The entry for `key`, created with the default first if missing (for `append v to m[k]` on a hist or list). */
  entry(key: K): V {
    if (!this.has(key)) this.set(key, this.fresh());
    return this.get(key) as V;
  }

  /** `m[k] += d` and friends: replaces the entry with `f(old)`. */
  update(key: K, f: (old: V) => V): void {
    this.set(key, f(this.at(key)));
  }
}

/** `q.event` of a quiesce report: the event bit being reported (any signal bit reads as `signal`), 0 for none. */
export function quiesceEvent(event: number): number {
  return event & 0x1f00 ? 0x0100 : event;
}

/** `call.arg` as a list: the six argument registers. */
export function syscallArgs(ctx: { syscallArg(i: number): bigint }): bigint[] {
  return [0, 1, 2, 3, 4, 5].map((i) => ctx.syscallArg(i));
}

/**
 * `e.code` of an exit report from the kernel's exit code (`orig_code`, a wait status): the status passed to
 * `exit()` for a normal exit, or 128 + the signal number for a death by signal, as shells show it.
 */
export function exitCode(origCode: number): bigint {
  const signal = origCode & 0x7f;
  return BigInt(signal === 0 ? (origCode >> 8) & 0xff : 128 + signal);
}
