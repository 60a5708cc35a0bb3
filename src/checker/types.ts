/**
 * The checker's type model: the types a `.utr` value can have, and the few relations between them (assignability,
 * comparability, printability) that every other phase needs.
 *
 * Primitive types are interned singletons (`T.int`, `T.bool`, …), so `a === b` is a valid fast path; structural
 * types (`list`, `map`) are compared with `sameType`. `error` is the type of anything already reported: every rule
 * accepts it silently, so one mistake gives one diagnostic, not a cascade.
 */
import type { EventName, ResumeActionName } from '../parser/ast.js';

/** Types with no parameters. `event` is the type of an event name (`q.event == syscall_entry`). */
export type PrimitiveKind =
  | 'int'
  | 'bool'
  | 'string'
  | 'duration'
  | 'bytes'
  | 'regs'
  | 'task'
  | 'syscall'
  | 'signal'
  | 'event'
  | 'count'
  | 'sum'
  | 'hist'
  | 'table';

/** `int`, `bool`, …: one object per kind. */
export interface PrimitiveType {
  readonly kind: PrimitiveKind;
}

/** `list<T>` */
export interface ListType {
  readonly kind: 'list';
  readonly element: Type;
}

/** `map<K, V>`; K is one of `MAP_KEY_KINDS`. */
export interface MapType {
  readonly kind: 'map';
  readonly key: Type;
  readonly value: Type;
}

/** What a control-side call can report. `stop` → `stopped | pending | gone`, and so on (see `CALL_STATUSES`). */
export const STATUS_NAMES = ['stopped', 'pending', 'gone', 'done', 'already', 'timeout'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** The control-side calls whose result is a status: the resume actions, `events`, `barrier` and `await stopped`. */
export type ControlCall = ResumeActionName | 'events' | 'barrier' | 'await';

/** The result of a control-side call; only ever matched with `match { … }`, never stored. */
export interface StatusType {
  readonly kind: 'status';
  readonly call: ControlCall;
  readonly statuses: readonly StatusName[];
}

/** The type of a handler's binding (`call` in `on syscall_entry(call)`): its fields depend on the event. */
export interface PayloadType {
  readonly kind: 'payload';
  readonly event: EventName;
}

/** The type of something already reported as wrong. Accepted everywhere so errors do not cascade. */
export interface ErrorType {
  readonly kind: 'error';
}

/** Any `.utr` type. */
export type Type = PrimitiveType | ListType | MapType | StatusType | PayloadType | ErrorType;

/** The discriminant of `Type`. */
export type TypeKind = Type['kind'];

function prim<K extends PrimitiveKind>(kind: K): PrimitiveType & { readonly kind: K } {
  return Object.freeze({ kind });
}

/** The interned primitive types and the error type. */
export const T = Object.freeze({
  int: prim('int'),
  bool: prim('bool'),
  string: prim('string'),
  duration: prim('duration'),
  bytes: prim('bytes'),
  regs: prim('regs'),
  task: prim('task'),
  syscall: prim('syscall'),
  signal: prim('signal'),
  event: prim('event'),
  count: prim('count'),
  sum: prim('sum'),
  hist: prim('hist'),
  table: prim('table'),
  error: Object.freeze({ kind: 'error' }) as ErrorType,
});

/** Makes `list<element>`. */
export function listOf(element: Type): ListType {
  return { kind: 'list', element };
}

/** Makes `map<key, value>`. */
export function mapOf(key: Type, value: Type): MapType {
  return { kind: 'map', key, value };
}

/** Makes the status type of a control-side call. */
export function statusOf(call: ControlCall, statuses: readonly StatusName[]): StatusType {
  return { kind: 'status', call, statuses };
}

/** Makes the payload type of an event's binding. */
export function payloadOf(event: EventName): PayloadType {
  let t = PAYLOAD_TYPES.get(event);
  if (t === undefined) {
    t = Object.freeze({ kind: 'payload', event });
    PAYLOAD_TYPES.set(event, t);
  }
  return t;
}

/** One payload type per event, shared like the primitive types in `T` (every handler with a binding asks). */
const PAYLOAD_TYPES = new Map<EventName, PayloadType>();

/** Type names a user may write, with their number of type arguments. */
export const TYPE_NAMES: Readonly<Record<string, number>> = Object.freeze({
  int: 0,
  bool: 0,
  string: 0,
  duration: 0,
  bytes: 0,
  regs: 0,
  task: 0,
  syscall: 0,
  signal: 0,
  count: 0,
  sum: 0,
  hist: 0,
  list: 1,
  map: 2,
});

/** Key types a `map` may have: values that compare by value and print compactly. */
export const MAP_KEY_KINDS: readonly PrimitiveKind[] = ['int', 'string', 'syscall', 'signal', 'bool', 'task'];

/** True for the aggregation types (`count`, `sum`, `hist`): they are only ever added to, never `set`. */
export function isAggregation(t: Type): boolean {
  return t.kind === 'count' || t.kind === 'sum' || t.kind === 'hist';
}

/** True for types whose values behave as integers in arithmetic: `int` and the `count`/`sum` aggregations. */
export function isIntLike(t: Type): boolean {
  return t.kind === 'int' || t.kind === 'count' || t.kind === 'sum';
}

/** True for types that are numbers underneath and compare with `int`: int-likes plus `syscall` and `signal`. */
export function isNumeric(t: Type): boolean {
  return isIntLike(t) || t.kind === 'syscall' || t.kind === 'signal';
}

/** Structural type equality. */
export function sameType(a: Type, b: Type): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'list':
      return sameType(a.element, (b as ListType).element);
    case 'map':
      return sameType(a.key, (b as MapType).key) && sameType(a.value, (b as MapType).value);
    case 'status':
      return a.call === (b as StatusType).call;
    case 'payload':
      return a.event === (b as PayloadType).event;
    default:
      return true;
  }
}

/**
 * Whether a value of type `from` may be stored where `to` is expected. Besides equal types, the int-likes and the
 * named numbers (`syscall`, `signal`) widen to `int` (a syscall *is* a number); nothing narrows implicitly.
 */
export function isAssignable(from: Type, to: Type): boolean {
  if (from.kind === 'error' || to.kind === 'error') return true;
  if (to.kind === 'int') return isNumeric(from);
  return sameType(from, to);
}

/** Whether `==`/`!=` (and `in`) may compare the two types. */
export function isEquatable(a: Type, b: Type): boolean {
  if (a.kind === 'error' || b.kind === 'error') return true;
  if (isNumeric(a) && isNumeric(b)) {
    // A syscall never equals a signal; each compares with plain integers.
    return a.kind === b.kind || isIntLike(a) || isIntLike(b);
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'bool':
    case 'string':
    case 'duration':
    case 'bytes':
    case 'task':
    case 'event':
      return true;
    default:
      return false;
  }
}

/** Whether `<`, `<=`, `>`, `>=` may compare the two types. */
export function isOrdered(a: Type, b: Type): boolean {
  if (a.kind === 'error' || b.kind === 'error') return true;
  if (isNumeric(a) && isNumeric(b)) return isEquatable(a, b);
  return a.kind === b.kind && (a.kind === 'duration' || a.kind === 'string');
}

/** Whether a value of the type can be shown in a string (`"{x}"`) or with `str(x)`. */
export function isPrintable(t: Type): boolean {
  switch (t.kind) {
    case 'table':
    case 'status':
    case 'payload':
      return false;
    case 'list':
      return isPrintable(t.element);
    case 'map':
      return isPrintable(t.key) && isPrintable(t.value);
    default:
      return true;
  }
}

/** Whether a value of this type may live in engine state (or as a list element, or a map value). */
export function isStorable(t: Type): boolean {
  switch (t.kind) {
    case 'table':
    case 'status':
    case 'payload':
    case 'event':
      return false;
    case 'list':
      return isStorable(t.element) && !isAggregation(t.element);
    case 'map':
      return isStorable(t.key) && isStorable(t.value);
    default:
      return true;
  }
}

/** The type as a user writes it: `map<syscall, count>`; status and payload types get descriptive names. */
export function typeToString(t: Type): string {
  switch (t.kind) {
    case 'list':
      return `list<${typeToString(t.element)}>`;
    case 'map':
      return `map<${typeToString(t.key)}, ${typeToString(t.value)}>`;
    case 'status':
      return `status of \`${t.call}\` (${t.statuses.join(' | ')})`;
    case 'payload':
      return `${t.event} payload`;
    case 'error':
      return '{unknown}';
    default:
      return t.kind;
  }
}
