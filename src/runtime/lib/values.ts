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
