/**
 * How `.utr` values print: in `emit "…{x}…"` interpolation, in `str(x)`, and in the tables printed at exit. A
 * `syscall` prints by its name on the engine's architecture, a `signal` by its name, a `duration` with a unit;
 * strings inside lists and maps are quoted, so `["a b", "c"]` is unambiguous.
 */
import { ARCHES, signalName, syscallName, type Arch, type ArchName, X86_64 } from '../../arch/index.js';
import type { Hist } from './hist.js';
import type { Regs } from './values.js';

/** A function that prints one value. */
export type Shower<T> = (value: T) => string;

const UNITS: readonly [bigint, string][] = [
  [3_600_000_000_000n, 'h'],
  [60_000_000_000n, 'm'],
  [1_000_000_000n, 's'],
  [1_000_000n, 'ms'],
  [1_000n, 'us'],
];

const EVENT_NAMES: readonly [number, string][] = [
  [0x0001, 'quiesce'],
  [0x0002, 'reap'],
  [0x0004, 'clone'],
  [0x0008, 'exec'],
  [0x0010, 'exit'],
  [0x0020, 'death'],
  [0x0040, 'syscall_entry'],
  [0x0080, 'syscall_exit'],
  [0x1f00, 'signal'],
  [0x2000, 'jctl'],
];

/** Printers for one architecture. Every member is a plain function, so they can be passed around. */
export class Show {
  private readonly arch: Arch;

  constructor(arch: ArchName) {
    this.arch = ARCHES.get(arch) ?? X86_64;
  }

  readonly int: Shower<bigint> = (v) => v.toString();
  readonly bool: Shower<boolean> = (v) => (v ? 'true' : 'false');
  readonly string: Shower<string> = (v) => v;
  /** A string nested in a list or map: quoted, with JSON escapes. */
  readonly quoted: Shower<string> = (v) => JSON.stringify(v);
  readonly syscall: Shower<bigint> = (v) => syscallName(this.arch, Number(v));
  readonly signal: Shower<bigint> = (v) => signalName(Number(v));
  readonly task: Shower<number> = (v) => String(v);
  /** The largest unit that divides the value exactly: `10ms`, `1500us`, `3ns`. */
  readonly duration: Shower<bigint> = (v) => {
    const abs = v < 0n ? -v : v;
    for (const [ns, unit] of UNITS) if (abs !== 0n && abs % ns === 0n) return `${v / ns}${unit}`;
    return `${v}ns`;
  };
  /** Printable ASCII as is, other bytes as `\xNN`, quoted (as strace shows buffers). */
  readonly bytes: Shower<Uint8Array> = (v) => {
    let s = '"';
    for (const b of v) {
      if (b === 0x22 || b === 0x5c) s += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
      else s += `\\x${b.toString(16).padStart(2, '0')}`;
    }
    return `${s}"`;
  };
  readonly regs: Shower<Regs> = (v) =>
    `{${Object.entries(v)
      .map(([name, value]) => `${name}=0x${BigInt.asUintN(64, value).toString(16)}`)
      .join(' ')}}`;
  /** An event as `.utr` names it (`q.event`): `syscall_entry`, `signal`, …, `none` for the return-to-user pass. */
  readonly event: Shower<number> = (v) => EVENT_NAMES.find(([bit]) => (v & bit) !== 0)?.[1] ?? 'none';
  readonly hist: Shower<Hist> = (h) =>
    h.count === 0 ? 'hist(empty)' : `hist(count=${h.count} sum=${h.sum} min=${h.min} max=${h.max})`;

  /** `[a, b, c]` */
  list<T>(xs: readonly T[], item: Shower<T>): string {
    return `[${xs.map(item).join(', ')}]`;
  }

  /** `{k: v, …}` in insertion order. */
  map<K, V>(m: ReadonlyMap<K, V>, key: Shower<K>, value: Shower<V>): string {
    return `{${[...m].map(([k, v]) => `${key(k)}: ${value(v)}`).join(', ')}}`;
  }
}
