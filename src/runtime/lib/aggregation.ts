/**
 * Aggregations as the session prints them at exit: `count` and `sum` state, `hist` state, and maps of them. The
 * generated engine describes each of its aggregation states with the helpers here (keys already printed by the
 * engine's `Show`, so this module needs no type information); `render.ts` turns the descriptions into text or JSON.
 */
import type { EmitValue } from '../log.js';
import type { Hist } from './hist.js';
import type { Shower } from './show.js';

/** Which accumulator a number is. */
export type AggregationKind = 'count' | 'sum';

/** One aggregation state of an engine, ready to print. */
export type Aggregation =
  | { readonly kind: 'scalar'; readonly name: string; readonly agg: AggregationKind; readonly value: bigint }
  | { readonly kind: 'hist'; readonly name: string; readonly value: Hist }
  | {
      readonly kind: 'map';
      readonly name: string;
      readonly agg: AggregationKind;
      /** The key type's name, the heading of the key column (`syscall`). */
      readonly keyType: string;
      readonly entries: readonly (readonly [string, bigint])[];
    }
  | {
      readonly kind: 'map-hist';
      readonly name: string;
      readonly keyType: string;
      readonly entries: readonly (readonly [string, Hist])[];
    };

/** A `count` or `sum` state. */
export function scalarAggregation(name: string, agg: AggregationKind, value: bigint): Aggregation {
  return { kind: 'scalar', name, agg, value };
}

/** A `hist` state. */
export function histAggregation(name: string, value: Hist): Aggregation {
  return { kind: 'hist', name, value };
}

/** A `map<K, count>` or `map<K, sum>` state: entries sorted by value, largest first, then by key. */
export function mapAggregation<K>(
  name: string,
  keyType: string,
  agg: AggregationKind,
  map: ReadonlyMap<K, bigint>,
  key: Shower<K>,
): Aggregation {
  const entries = [...map].map(([k, v]) => [key(k), v] as const);
  entries.sort((a, b) => (a[1] === b[1] ? compareText(a[0], b[0]) : a[1] > b[1] ? -1 : 1));
  return { kind: 'map', name, agg, keyType, entries };
}

/** A `map<K, hist>` state: one histogram per key, the key with most samples first. */
export function mapHistAggregation<K>(
  name: string,
  keyType: string,
  map: ReadonlyMap<K, Hist>,
  key: Shower<K>,
): Aggregation {
  const entries = [...map].map(([k, h]) => [key(k), h] as const);
  entries.sort((a, b) => (a[1].count === b[1].count ? compareText(a[0], b[0]) : b[1].count - a[1].count));
  return { kind: 'map-hist', name, keyType, entries };
}

/** What `table(m)` emits: a two-column table of printed keys and values (numbers stay numbers). */
export type TableValue = {
  readonly kind: 'table';
  readonly columns: readonly [string, string];
  readonly rows: readonly (readonly [string, EmitValue])[];
};

/** `table(m)`: rows sorted as at exit (numbers largest first; otherwise by key). */
export function table<K, V>(
  map: ReadonlyMap<K, V>,
  columns: readonly [string, string],
  key: Shower<K>,
  value: (v: V) => EmitValue,
): TableValue {
  const rows = [...map].map(([k, v]) => [key(k), value(v)] as const);
  rows.sort((a, b) => {
    const x = a[1];
    const y = b[1];
    if (typeof x === 'bigint' && typeof y === 'bigint' && x !== y) return x > y ? -1 : 1;
    return compareText(a[0], b[0]);
  });
  return { kind: 'table', columns, rows };
}

/** True for an emitted value made by `table(m)`. */
export function isTableValue(v: EmitValue): v is TableValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'table';
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
