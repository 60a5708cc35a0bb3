/**
 * Text and JSON forms of what a run prints: tables (for `emit table(m)` and map aggregations) and histograms in
 * the layout bpftrace users know, and JSON-safe forms of aggregations for `--format json`.
 */
import type { EmitValue } from '../log.js';
import type { Aggregation, TableValue } from './aggregation.js';
import { renderHist, type Hist } from './hist.js';

/** A table with a heading row; the value column is right-aligned when it holds numbers. */
export function renderTable(t: TableValue, indent = '  '): string[] {
  const cells = t.rows.map(([k, v]) => [k, cellText(v)] as const);
  const numeric = t.rows.every(([, v]) => typeof v === 'bigint' || typeof v === 'number');
  const keyWidth = Math.max(t.columns[0].length, ...cells.map(([k]) => k.length));
  const valueWidth = Math.max(t.columns[1].length, ...cells.map(([, v]) => v.length));
  const line = (k: string, v: string): string =>
    `${indent}${k.padEnd(keyWidth)}  ${numeric ? v.padStart(valueWidth) : v}`.trimEnd();
  return [line(t.columns[0], t.columns[1]), ...cells.map(([k, v]) => line(k, v))];
}

function cellText(v: EmitValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** An aggregation as text lines, the way it prints at exit (`name: 3`, a table, or histograms). */
export function renderAggregation(a: Aggregation): string[] {
  switch (a.kind) {
    case 'scalar':
      return [`${a.name}: ${a.value}`];
    case 'hist':
      return a.value.count === 0 ? [`${a.name}: (no samples)`] : [`${a.name}:`, ...renderHist(a.value)];
    case 'map':
      if (a.entries.length === 0) return [`${a.name}: (empty)`];
      return [
        `${a.name}:`,
        ...renderTable({ kind: 'table', columns: [a.keyType, a.agg], rows: a.entries.map(([k, v]) => [k, v]) }),
      ];
    case 'map-hist':
      if (a.entries.length === 0) return [`${a.name}: (empty)`];
      return a.entries.flatMap(([k, h], i) => [...(i > 0 ? [''] : []), `${a.name}[${k}]:`, ...renderHist(h)]);
  }
}

/** A JSON number when it is exact, else a decimal string. */
function jsonInt(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

function histJson(h: Hist): Record<string, unknown> {
  return {
    count: h.count,
    sum: jsonInt(h.sum),
    min: h.min === undefined ? null : jsonInt(h.min),
    max: h.max === undefined ? null : jsonInt(h.max),
    buckets: h.rows().map(([bucket, count]) => ({ bucket, count })),
  };
}

/** An aggregation as a JSON-safe object (no bigint): the `value` of a `--format json` aggregation record. */
export function aggregationJson(a: Aggregation): Record<string, unknown> {
  switch (a.kind) {
    case 'scalar':
      return { name: a.name, kind: a.agg, value: jsonInt(a.value) };
    case 'hist':
      return { name: a.name, kind: 'hist', value: histJson(a.value) };
    case 'map':
      return {
        name: a.name,
        kind: `map<${a.keyType}, ${a.agg}>`,
        value: a.entries.map(([key, v]) => ({ key, value: jsonInt(v) })),
      };
    case 'map-hist':
      return {
        name: a.name,
        kind: `map<${a.keyType}, hist>`,
        value: a.entries.map(([key, h]) => ({ key, value: histJson(h) })),
      };
  }
}

/** An emitted value as JSON-safe data (bigints become numbers when exact, else strings). */
export function emitJson(v: EmitValue): unknown {
  if (typeof v === 'bigint') return jsonInt(v);
  if (Array.isArray(v)) return (v as readonly EmitValue[]).map(emitJson);
  if (typeof v === 'object' && v !== null) {
    // fromEntries defines own properties, so even a `__proto__` key stays data.
    return Object.fromEntries(Object.entries(v as Record<string, EmitValue>).map(([k, x]) => [k, emitJson(x)]));
  }
  return v;
}
