/**
 * How `.utr` types look in generated TypeScript: the TypeScript type of each, its default value (what a fresh state
 * or a missing map entry holds), and the printer (`show.…`) that formats it.
 */
import type { Type } from '../checker/types.js';
import type { ModuleContext } from './context.js';

/** Types that are numbers underneath and held as `bigint` (64-bit, wrapped). */
const BIGINT_KINDS: ReadonlySet<string> = new Set(['int', 'count', 'sum', 'duration', 'syscall', 'signal']);

/** True when values of the type are held as `bigint`. */
export function isBigint(t: Type): boolean {
  return BIGINT_KINDS.has(t.kind);
}

/** The TypeScript type of a `.utr` type. */
export function tsType(t: Type, m: ModuleContext): string {
  if (isBigint(t)) return 'bigint';
  switch (t.kind) {
    case 'bool':
      return 'boolean';
    case 'string':
      return 'string';
    case 'bytes':
      return 'Uint8Array';
    case 'regs':
      return m.type('Regs');
    case 'task':
      return m.type('TaskId');
    case 'hist':
      return m.value('Hist');
    case 'event':
      return 'number';
    case 'table':
      return m.type('TableValue');
    case 'list':
      return `${wrapUnion(tsType(t.element, m))}[]`;
    case 'map':
      return `${m.value('StateMap')}<${tsType(t.key, m)}, ${tsType(t.value, m)}>`;
    default:
      throw new Error(`internal error: type \`${t.kind}\` has no TypeScript form`);
  }
}

function wrapUnion(s: string): string {
  return s.includes(' ') && !s.includes('<') ? `(${s})` : s;
}

/** An expression for the default value of a type. */
export function defaultValue(t: Type, m: ModuleContext): string {
  if (isBigint(t)) return '0n';
  switch (t.kind) {
    case 'bool':
      return 'false';
    case 'string':
      return '""';
    case 'bytes':
      return 'new Uint8Array(0)';
    case 'regs':
      return m.value('NO_REGS');
    case 'task':
      return '0';
    case 'hist':
      return `new ${m.value('Hist')}()`;
    case 'list':
      return `[] as ${tsType(t, m)}`;
    case 'map':
      return `new ${m.value('StateMap')}<${tsType(t.key, m)}, ${tsType(t.value, m)}>(() => ${defaultValue(t.value, m)})`;
    default:
      throw new Error(`internal error: type \`${t.kind}\` has no default value`);
  }
}

/**
 * A printer function for values of the type (`show.syscall`, or an arrow for lists and maps). `nested` quotes
 * strings, as inside a list or map.
 */
export function shower(t: Type, m: ModuleContext, nested = false): string {
  const show = m.show();
  switch (t.kind) {
    case 'int':
    case 'count':
    case 'sum':
      return `${show}.int`;
    case 'syscall':
    case 'signal':
    case 'duration':
    case 'bool':
    case 'task':
    case 'bytes':
    case 'regs':
    case 'hist':
    case 'event':
      return `${show}.${t.kind}`;
    case 'string':
      return nested ? `${show}.quoted` : `${show}.string`;
    case 'list':
      return `(v: ${tsType(t, m)}) => ${show}.list(v, ${shower(t.element, m, true)})`;
    case 'map':
      return `(v: ${tsType(t, m)}) => ${show}.map(v, ${shower(t.key, m, true)}, ${shower(t.value, m, true)})`;
    default:
      throw new Error(`internal error: type \`${t.kind}\` is not printable`);
  }
}

/** An expression printing `expr` (of type `t`) as a string. */
export function showExpr(t: Type, expr: string, m: ModuleContext): string {
  if (t.kind === 'string') return expr;
  const show = m.show();
  if (t.kind === 'list') return `${show}.list(${expr}, ${shower(t.element, m, true)})`;
  if (t.kind === 'map') return `${show}.map(${expr}, ${shower(t.key, m, true)}, ${shower(t.value, m, true)})`;
  return `${shower(t, m)}(${expr})`;
}
