/**
 * Integer arithmetic with `.utr` semantics: `int` is a 64-bit two's-complement integer held as a `bigint`, so sums
 * wrap as they do in C and in bpftrace instead of growing without bound. Division and remainder by zero are run-time
 * errors reported at the `.utr` location that caused them.
 */
import { UtrFault } from './source-table.js';

/** Wraps to a signed 64-bit integer. */
export function i64(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/** `a / b`, truncating toward zero as C does; division by zero is a fault at location `loc`. */
export function div(a: bigint, b: bigint, loc: number): bigint {
  if (b === 0n) throw new UtrFault('division by zero', loc);
  return BigInt.asIntN(64, a / b);
}

/** `a % b` with the sign of `a`, as C does; remainder by zero is a fault at location `loc`. */
export function mod(a: bigint, b: bigint, loc: number): bigint {
  if (b === 0n) throw new UtrFault('remainder by zero', loc);
  return a % b;
}

/** `hex(n)`: `0x` and lower-case digits; negative numbers show their 64-bit two's complement, as `%#lx` does. */
export function hex(n: bigint): string {
  return `0x${BigInt.asUintN(64, n).toString(16)}`;
}

/** `v in {a, b, …}`. */
export function inSet<T>(value: T, set: readonly T[]): boolean {
  return set.includes(value);
}

const encoder = new TextEncoder();

/** `len(x)`: elements of a list, entries of a map, bytes of a `bytes`, and UTF-8 bytes of a string (as strlen). */
export function len(x: string | Uint8Array | readonly unknown[] | ReadonlyMap<unknown, unknown>): bigint {
  if (typeof x === 'string') return BigInt(encoder.encode(x).length);
  if (x instanceof Uint8Array) return BigInt(x.length);
  if (x instanceof Map) return BigInt(x.size);
  return BigInt((x as readonly unknown[]).length);
}

/** Byte-wise equality of two `bytes` values. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `xs[i]`; an index outside the list is a fault at location `loc`. */
export function listAt<T>(xs: readonly T[], i: bigint, loc: number): T {
  if (i < 0n || i >= BigInt(xs.length))
    throw new UtrFault(`index ${i} is out of range for a list of ${xs.length}`, loc);
  return xs[Number(i)] as T;
}

/** A length for `fetch mem(addr, len)`: 0 … 1 MiB, else a fault at location `loc`. */
export function memLength(n: bigint, loc: number): number {
  if (n < 0n || n > 1n << 20n) throw new UtrFault(`cannot read ${n} bytes of memory (0 to 1048576 allowed)`, loc);
  return Number(n);
}

/** `call.arg[i]` with an index known only at run time: 0 … 5, else a fault at location `loc`. */
export function argIndex(i: bigint, loc: number): number {
  if (i < 0n || i > 5n) throw new UtrFault(`syscall argument ${i} does not exist (0 to 5)`, loc);
  return Number(i);
}

/** `set xs[i] = v`; an index outside the list is a fault at location `loc` (lists grow only by `append`). */
export function listSet<T>(xs: T[], i: bigint, value: T, loc: number): void {
  if (i < 0n || i >= BigInt(xs.length))
    throw new UtrFault(`index ${i} is out of range for a list of ${xs.length}`, loc);
  xs[Number(i)] = value;
}
