/**
 * Types expressions and resolves the names in them. Every visited expression gets a type in the context's table
 * (`error` once something inside it was reported), every resolved name a symbol.
 */
import { ARCHES, SIGNALS, SIGRTMAX, SIGRTMIN } from '../arch/index.js';
import type { Span } from '../diagnostics/source.js';
import type {
  BinaryExpr,
  CallExpr,
  EventName,
  Expr,
  FieldExpr,
  IndexExpr,
  InExpr,
  NameExpr,
  StringLit,
  UnaryExpr,
} from '../parser/ast.js';
import { EVENT_NAMES } from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { symbolType } from './context.js';
import { SEM } from './diagnostics.js';
import { NO_EVENT, PAYLOAD_FIELDS, SYSCALL_ARG_COUNT } from './events.js';
import { LIBRARY, LIBRARY_NAMES } from './library.js';
import type { NameSymbol } from './program.js';
import type { Flow, MutableStateSymbol, Scope } from './scope.js';
import { suggest } from './suggest.js';
import type { Type } from './types.js';
import {
  isEquatable,
  isIntLike,
  isNumeric,
  isOrdered,
  isPrintable,
  isAssignable,
  STATUS_NAMES,
  T,
  typeToString,
} from './types.js';

const EVENT_SET: ReadonlySet<string> = new Set<string>(EVENT_NAMES);
const STATUS_SET: ReadonlySet<string> = new Set<string>(STATUS_NAMES);
const TASK_FIELDS: Readonly<Record<string, Type>> = { pid: T.int, tid: T.int };

/** Options for one expression: a type the context expects (guides ambiguous names) and whether `table()` may appear. */
export interface ExprOptions {
  /** When `event`, a name that is both an event and a syscall (`exit`, `clone`) means the event. */
  readonly prefer?: 'event';
  /** True only for the argument of `emit`. */
  readonly allowTable?: boolean;
  /** How the expression is used, so a misspelled name is matched against names that fit there first. */
  readonly role?: 'indexed' | 'object';
}

/** Shared option records, so the hot path allocates none. */
export const NO_OPTIONS: ExprOptions = Object.freeze({});
export const PREFER_EVENT: ExprOptions = Object.freeze({ prefer: 'event' });
const AS_OBJECT: ExprOptions = Object.freeze({ role: 'object' });
const AS_INDEXED: ExprOptions = Object.freeze({ role: 'indexed' });

/** Types expressions of one member's code. */
export class ExprChecker {
  constructor(private readonly cx: CheckContext) {}

  /** Types `expr`, records the type, and returns it. */
  check(expr: Expr, scope: Scope, flow: Flow, options: ExprOptions = NO_OPTIONS): Type {
    if (expr.kind === 'NameExpr') return this.#name(expr, scope, flow, options);
    const t = this.#infer(expr, scope, flow, options);
    this.cx.types.set(expr, t);
    return t;
  }

  /** Types `expr` and reports a mismatch when it is not assignable to `expected`; `what` names the place. */
  expect(expr: Expr, expected: Type, scope: Scope, flow: Flow, what: string): Type {
    const t = this.check(expr, scope, flow, expected.kind === 'event' ? PREFER_EVENT : NO_OPTIONS);
    if (!isAssignable(t, expected)) {
      this.cx.report(SEM.typeMismatch, {
        span: expr.span,
        message: `${what} must be \`${typeToString(expected)}\`, found \`${typeToString(t)}\``,
        label: `this is \`${typeToString(t)}\``,
      });
    }
    return t;
  }

  /** The type of any expression but a name (`check` gives names to `#name`). */
  #infer(expr: Exclude<Expr, NameExpr>, scope: Scope, flow: Flow, options: ExprOptions): Type {
    switch (expr.kind) {
      case 'IntLit':
        return T.int;
      case 'BoolLit':
        return T.bool;
      case 'DurationLit':
        return T.duration;
      case 'StringLit':
        return this.#string(expr, scope, flow);
      case 'FieldExpr':
        return this.#field(expr, scope, flow);
      case 'IndexExpr':
        return this.#index(expr, scope, flow);
      case 'UnaryExpr':
        return this.#unary(expr, scope, flow);
      case 'BinaryExpr':
        return this.#binary(expr, scope, flow);
      case 'InExpr':
        return this.#in(expr, scope, flow);
      case 'CallExpr':
        return this.#call(expr, scope, flow, options);
      case 'ErrorExpr':
        return T.error;
    }
  }

  #string(expr: StringLit, scope: Scope, flow: Flow): Type {
    for (const part of expr.parts) {
      if (typeof part === 'string') continue;
      const t = this.check(part, scope, flow);
      if (!isPrintable(t)) {
        this.cx.report(SEM.notPrintable, {
          span: part.span,
          message: `${describeType(t)} cannot be interpolated into a string`,
          label: 'no printed form',
          help: notPrintableHelp(t),
        });
      }
    }
    return T.string;
  }

  /** Resolves a bare name; records the symbol. */
  resolveName(expr: NameExpr, scope: Scope, flow: Flow, options: ExprOptions): NameSymbol | undefined {
    const name = expr.name.name;
    const symbol = this.#lookup(name, scope, options);
    if (symbol) this.cx.symbols.set(expr, symbol);
    return symbol;
  }

  #lookup(name: string, scope: Scope, options: ExprOptions): NameSymbol | undefined {
    if (scope.binding?.name === name) return scope.binding;
    const param = scope.params?.get(name);
    if (param) return param;
    const state = scope.states.get(name);
    if (state) return state;
    if (name === 'task') return TASK;
    if (name === 'regs') return REGS;
    const key = options.prefer === 'event' ? `event:${name}` : name;
    let constant = this.#constants.get(key);
    if (constant === undefined) {
      constant = this.#constant(name, options) ?? null;
      this.#constants.set(key, constant);
    }
    return constant ?? undefined;
  }

  /** Constants are the same object for every use of a name, so they are resolved once per check. */
  readonly #constants = new Map<string, NameSymbol | null>();

  #constant(name: string, options: ExprOptions): NameSymbol | undefined {
    if (options.prefer === 'event' && (EVENT_SET.has(name) || name === NO_EVENT)) {
      return { kind: 'event', name: name as EventName | 'none' };
    }
    const nr = this.cx.arch.syscalls[name];
    if (nr !== undefined && Object.hasOwn(this.cx.arch.syscalls, name)) return { kind: 'syscall', name, nr };
    const sig = SIGNALS.get(name);
    if (sig) return { kind: 'signal', name, signo: sig.number };
    if (name === 'SIGRTMIN') return { kind: 'signal', name, signo: SIGRTMIN };
    if (name === 'SIGRTMAX') return { kind: 'signal', name, signo: SIGRTMAX };
    if (EVENT_SET.has(name) || name === NO_EVENT) return { kind: 'event', name: name as EventName | 'none' };
    if (STATUS_SET.has(name)) return { kind: 'status', name: name as (typeof STATUS_NAMES)[number] };
    return undefined;
  }

  /** Types a name and records its type (`check` leaves names to this). */
  #name(expr: NameExpr, scope: Scope, flow: Flow, options: ExprOptions): Type {
    const symbol = this.resolveName(expr, scope, flow, options);
    const t = this.#nameType(expr, symbol, scope, flow, options);
    this.cx.setNameType(expr, symbol, t);
    return t;
  }

  #nameType(expr: NameExpr, symbol: NameSymbol | undefined, scope: Scope, flow: Flow, options: ExprOptions): Type {
    const name = expr.name.name;
    if (!symbol) {
      if (name !== scope.poisoned) this.#unknownName(expr, scope, options.role);
      return T.error;
    }
    if (scope.member === undefined && (symbol.kind === 'state' || symbol.kind === 'task' || symbol.kind === 'regs')) {
      this.cx.report(SEM.invalidInitialiser, {
        span: expr.span,
        message: `a state initialiser cannot read \`${name}\``,
        label: 'not a constant',
        notes: ['initialisers run once, when the engine is created, before any handler or control code'],
        help: 'initialise with a constant and set the value from a handler (for example `on attach`)',
      });
      return T.error;
    }
    switch (symbol.kind) {
      case 'state':
        // The symbol is the scope's own state entry (`#lookup` found it there), whose use list is appended to.
        if (scope.member) {
          (symbol as MutableStateSymbol).uses.push({
            node: expr,
            access: 'read',
            context: scope.context,
            member: scope.member,
          });
        }
        return symbolType(symbol);
      case 'regs':
        if (!flow.regs) {
          this.cx.report(SEM.regsNotFetched, {
            span: expr.span,
            message: '`regs` is read before `fetch regs` on this path',
            label: 'no register snapshot here',
            notes: ['`regs` is the snapshot taken by `fetch regs`; it exists only after that step on every path'],
            help:
              scope.context === 'control'
                ? 'fetch the registers first, inside the `stopped` arm: `stopped => fetch regs then …`'
                : 'fetch the registers first: `fetch regs then …`',
          });
          return T.error;
        }
        return symbolType(symbol);
      case 'status':
        this.cx.report(SEM.statusOutsideMatch, {
          span: expr.span,
          message: `status \`${name}\` is not a value`,
          label: 'only a match arm can name a status',
          help: 'match the result of the call instead: `stop match { stopped => … pending => … gone => … }`',
        });
        return T.error;
      default:
        return symbolType(symbol);
    }
  }

  #unknownName(expr: NameExpr, scope: Scope, role: ExprOptions['role']): void {
    const name = expr.name.name;
    // Names that fit the position come first: `cals[k]` means the map `calls`, not the binding `call`.
    const fitting: string[] = [];
    if (role === 'indexed' && scope.member !== undefined) {
      for (const st of scope.states.values())
        if (st.type.kind === 'map' || st.type.kind === 'list') fitting.push(st.name);
    } else if (role === 'object') {
      if (scope.binding) fitting.push(scope.binding.name);
      if (scope.member !== undefined) fitting.push('task', 'regs');
    }
    const local: string[] = [];
    if (scope.binding) local.push(scope.binding.name);
    if (scope.params) local.push(...scope.params.keys());
    if (scope.member !== undefined) local.push(...scope.states.keys(), 'task', 'regs');
    const foreign = this.#foreignSyscall(name);
    const best = foreign?.replacement ?? suggest(name, fitting) ?? suggest(name, local) ?? this.#suggestConstant(name);
    const isLibrary = LIBRARY_NAMES.has(name);
    this.cx.report(SEM.unknownName, {
      span: expr.span,
      message: `cannot find \`${name}\` in this scope`,
      label: best ? `did you mean \`${best}\`?` : 'not found',
      ...(isLibrary
        ? { help: `\`${name}\` is a library function: call it, \`${name}(…)\`` }
        : foreign
          ? { notes: [foreign.note] }
          : best
            ? {}
            : {
                notes: [
                  `a name is a state variable, the handler's binding, a parameter, \`task\`, \`regs\`, an event, a signal, or a syscall of ${this.cx.arch.name}`,
                ],
              }),
      ...(best
        ? {
            fix: {
              title: `use \`${best}\``,
              applicability: 'safe' as const,
              edits: [{ span: expr.name.span, newText: best }],
            },
          }
        : {}),
    });
  }

  /**
   * For a syscall of another architecture but not this one (`open` on aarch64): a note saying so and, when this arch
   * has the usual replacement (`openat`, `pipe2`, `faccessat`), that name.
   */
  #foreignSyscall(name: string): { readonly note: string; readonly replacement?: string } | undefined {
    const here = this.cx.arch;
    for (const other of ARCHES.values()) {
      if (other === here || !Object.hasOwn(other.syscalls, name)) continue;
      const replacement = [`${name}at`, `f${name}at`, `${name}2`, `new${name}`].find((n) =>
        Object.hasOwn(here.syscalls, n),
      );
      return {
        note: `\`${name}\` is a syscall of ${other.name}, not ${here.name}${replacement ? `; ${here.name} programs call \`${replacement}\`` : ''}`,
        ...(replacement ? { replacement } : {}),
      };
    }
    return undefined;
  }

  #field(expr: FieldExpr, scope: Scope, flow: Flow): Type {
    const objectType = this.check(expr.object, scope, flow, AS_OBJECT);
    const field = expr.field.name;
    switch (objectType.kind) {
      case 'error':
        return T.error;
      case 'payload': {
        const fields = PAYLOAD_FIELDS[objectType.event] ?? {};
        const t = fields[field];
        if (t && Object.hasOwn(fields, field)) return t;
        const elsewhere = eventsWithField(field);
        if (elsewhere.length > 0) {
          this.cx.report(SEM.fieldNotInEvent, {
            span: expr.field.span,
            message: `\`${field}\` is not available in \`on ${objectType.event}\``,
            label: `exists only in ${elsewhere.map((e) => `\`${e}\``).join(', ')}`,
            notes: [fieldNote(objectType.event, field, elsewhere)],
            help: `the \`${objectType.event}\` payload has ${listNames(Object.keys(fields))}`,
          });
          return T.error;
        }
        this.#noSuchField(expr, `the \`${objectType.event}\` payload`, Object.keys(fields));
        return T.error;
      }
      case 'task': {
        const t = TASK_FIELDS[field];
        if (t && Object.hasOwn(TASK_FIELDS, field)) return t;
        this.#noSuchField(expr, '`task`', Object.keys(TASK_FIELDS));
        return T.error;
      }
      case 'regs':
        if (this.#registers().has(field)) return T.int;
        this.#noSuchField(
          expr,
          `\`regs\` on ${this.cx.arch.name}`,
          this.cx.arch.registers,
          this.#portedRegister(field),
        );
        return T.error;
      default:
        this.cx.report(SEM.unknownField, {
          span: expr.field.span,
          message: `\`${typeToString(objectType)}\` has no field \`${field}\``,
          label: 'no fields',
          notes: ['only event payloads, `task` and `regs` have fields'],
        });
        return T.error;
    }
  }

  /** The closest syscall, signal or event to a misspelt name; the same typo repeated is looked up once. */
  #suggestConstant(name: string): string | undefined {
    let best = this.#constantSuggestions.get(name);
    if (best === undefined) {
      best =
        suggest(name, this.#syscallNames()) ??
        suggest(name, SIGNALS.keys()) ??
        suggest(name, [...EVENT_NAMES, NO_EVENT]) ??
        null;
      this.#constantSuggestions.set(name, best);
    }
    return best ?? undefined;
  }

  readonly #constantSuggestions = new Map<string, string | null>();
  #syscallNameList: readonly string[] | undefined;
  #syscallNames(): readonly string[] {
    this.#syscallNameList ??= Object.keys(this.cx.arch.syscalls);
    return this.#syscallNameList;
  }

  #registerSet: ReadonlySet<string> | undefined;
  #registers(): ReadonlySet<string> {
    this.#registerSet ??= new Set(this.cx.arch.registers);
    return this.#registerSet;
  }

  /**
   * The register of this arch with the role `field` has on another one (`rip` → `pc` on aarch64), with a note
   * saying so; undefined when `field` is no other arch's register with a role.
   */
  #portedRegister(field: string): { readonly name: string; readonly note: string } | undefined {
    const here = this.cx.arch;
    for (const other of ARCHES.values()) {
      if (other === here || !other.registers.includes(field)) continue;
      const roles: [string, string, string][] = [
        [other.pc, here.pc, 'program counter'],
        [other.sp, here.sp, 'stack pointer'],
        [other.syscallNr, here.syscallNr, 'syscall number register'],
        [other.syscallRet, here.syscallRet, 'return value register'],
        ...other.syscallArgs.map((r, i): [string, string, string] => [
          r,
          here.syscallArgs[i] ?? r,
          `syscall argument ${i} register`,
        ]),
      ];
      const role = roles.find(([theirs]) => theirs === field);
      const note = `\`${field}\` is a register of ${other.name}, not ${here.name}`;
      return role
        ? { name: role[1], note: `${note}; the ${role[2]} of ${here.name} is \`${role[1]}\`` }
        : { name: '', note };
    }
    return undefined;
  }

  #noSuchField(
    expr: FieldExpr,
    owner: string,
    fields: readonly string[],
    ported?: { readonly name: string; readonly note: string },
  ): void {
    const field = expr.field.name;
    const best = ported?.name || suggest(field, fields);
    this.cx.report(SEM.unknownField, {
      span: expr.field.span,
      message: `${owner} has no field \`${field}\``,
      label: best ? `did you mean \`${best}\`?` : 'unknown field',
      ...(ported ? { notes: [ported.note] } : {}),
      ...(best
        ? {
            fix: {
              title: `use \`${best}\``,
              applicability: 'safe' as const,
              edits: [{ span: expr.field.span, newText: best }],
            },
          }
        : { help: `the fields are ${listNames(fields)}` }),
    });
  }

  #index(expr: IndexExpr, scope: Scope, flow: Flow): Type {
    const objectType = this.check(expr.object, scope, flow, AS_INDEXED);
    if (objectType.kind === 'map') {
      const keyType = this.check(expr.index, scope, flow);
      if (!isAssignable(keyType, objectType.key) && !(isIntLike(keyType) && objectType.key.kind === 'int')) {
        this.cx.report(SEM.invalidIndex, {
          span: expr.index.span,
          message: `this map's keys are \`${typeToString(objectType.key)}\`, found \`${typeToString(keyType)}\``,
          label: `expected \`${typeToString(objectType.key)}\``,
        });
      }
      return objectType.value;
    }
    const indexType = this.check(expr.index, scope, flow);
    if (objectType.kind === 'error') return T.error;
    if (objectType.kind !== 'list' && objectType.kind !== 'bytes') {
      this.cx.report(SEM.invalidIndex, {
        span: expr.object.span,
        message: `\`${typeToString(objectType)}\` cannot be indexed`,
        label: 'not a list, map or bytes',
      });
      return T.error;
    }
    if (!isIntLike(indexType) && indexType.kind !== 'error') {
      this.cx.report(SEM.invalidIndex, {
        span: expr.index.span,
        message: `an index must be \`int\`, found \`${typeToString(indexType)}\``,
        label: 'not an integer',
      });
    }
    const i = constantInt(expr.index);
    if (i !== undefined && isSyscallArgs(expr.object, this.cx)) {
      if (i < 0n || i >= BigInt(SYSCALL_ARG_COUNT)) {
        this.cx.report(SEM.invalidIndex, {
          span: expr.index.span,
          message: `syscall argument index \`${i}\` is out of range`,
          label: `valid indices are 0 to ${SYSCALL_ARG_COUNT - 1}`,
          notes: [`a Linux system call has at most ${SYSCALL_ARG_COUNT} arguments`],
        });
      }
    }
    return objectType.kind === 'list' ? objectType.element : T.int;
  }

  #unary(expr: UnaryExpr, scope: Scope, flow: Flow): Type {
    const t = this.check(expr.operand, scope, flow);
    if (t.kind === 'error') return T.error;
    if (expr.op === 'not') {
      if (t.kind === 'bool') return T.bool;
      this.#badOperands(expr.span, `\`not\` needs a \`bool\`, found \`${typeToString(t)}\``);
      return T.error;
    }
    if (isIntLike(t)) return T.int;
    if (t.kind === 'duration') return T.duration;
    this.#badOperands(expr.span, `cannot negate \`${typeToString(t)}\``);
    return T.error;
  }

  #binary(expr: BinaryExpr, scope: Scope, flow: Flow): Type {
    const { op, left, right } = expr;
    if (op === 'and' || op === 'or') {
      const l = this.check(left, scope, flow);
      const r = this.check(right, scope, flow);
      for (const [side, t] of [
        [left, l],
        [right, r],
      ] as const) {
        if (t.kind !== 'bool' && t.kind !== 'error') {
          this.cx.report(SEM.invalidOperands, {
            span: side.span,
            message: `\`${op}\` needs \`bool\` operands, found \`${typeToString(t)}\``,
            label: `this is \`${typeToString(t)}\``,
          });
        }
      }
      return T.bool;
    }
    if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
      const [l, r] = this.#pair(left, right, scope, flow);
      if (l.kind === 'error' || r.kind === 'error') return T.bool;
      const ok = op === '==' || op === '!=' ? isEquatable(l, r) : isOrdered(l, r);
      if (!ok) {
        this.#badOperands(
          expr.span,
          `cannot compare \`${typeToString(l)}\` with \`${typeToString(r)}\` using \`${op}\``,
          comparisonHelp(l, r),
        );
      }
      return T.bool;
    }
    const l = this.check(left, scope, flow);
    const r = this.check(right, scope, flow);
    if (l.kind === 'error' || r.kind === 'error') return T.error;
    const result = arithmetic(op, l, r);
    if (result && (op === '/' || op === '%') && constantInt(right) === 0n) {
      this.cx.report(SEM.invalidOperands, {
        span: right.span,
        message: op === '/' ? 'division by zero' : 'remainder by zero',
        label: 'this is zero',
        notes: ['a division by zero would throw inside the engine, and the runtime would detach it'],
      });
      return result;
    }
    if (!result) {
      this.#badOperands(
        expr.span,
        `cannot apply \`${op}\` to \`${typeToString(l)}\` and \`${typeToString(r)}\``,
        isNumeric(l) || isNumeric(r)
          ? '`syscall` and `signal` values compare with integers but take no arithmetic'
          : undefined,
      );
      return T.error;
    }
    return result;
  }

  /** Types both sides of a comparison; a bare name is typed after the other side, so `q.event == exit` means the event. */
  #pair(left: Expr, right: Expr, scope: Scope, flow: Flow): [Type, Type] {
    if (left.kind === 'NameExpr' && right.kind !== 'NameExpr') {
      const r = this.check(right, scope, flow);
      const l = this.check(left, scope, flow, r.kind === 'event' ? PREFER_EVENT : NO_OPTIONS);
      return [l, r];
    }
    const l = this.check(left, scope, flow);
    const r = this.check(right, scope, flow, l.kind === 'event' ? PREFER_EVENT : NO_OPTIONS);
    return [l, r];
  }

  #in(expr: InExpr, scope: Scope, flow: Flow): Type {
    const v = this.check(expr.value, scope, flow);
    for (const member of expr.set) {
      const m = this.check(member, scope, flow, v.kind === 'event' ? PREFER_EVENT : NO_OPTIONS);
      if (!isEquatable(v, m)) {
        this.cx.report(SEM.invalidOperands, {
          span: member.span,
          message: `\`in\` compares \`${typeToString(v)}\` with \`${typeToString(m)}\``,
          label: `expected a \`${typeToString(v)}\``,
        });
      }
    }
    return T.bool;
  }

  #call(expr: CallExpr, scope: Scope, flow: Flow, options: ExprOptions): Type {
    const name = expr.callee.name;
    const fn = Object.hasOwn(LIBRARY, name) ? LIBRARY[name] : undefined;
    if (!fn) {
      for (const a of expr.args) this.check(a, scope, flow);
      const best = suggest(name, LIBRARY_NAMES);
      this.cx.report(SEM.unknownFunction, {
        span: expr.callee.span,
        message: `cannot find function \`${name}\``,
        label: best ? `did you mean \`${best}\`?` : 'not a library function',
        notes: [`the library has ${listNames([...LIBRARY_NAMES])}`],
        ...(best
          ? {
              fix: {
                title: `use \`${best}\``,
                applicability: 'safe' as const,
                edits: [{ span: expr.callee.span, newText: best }],
              },
            }
          : {}),
      });
      return T.error;
    }
    const argTypes = expr.args.map((a) => this.check(a, scope, flow));
    if (expr.args.length !== fn.params.length) {
      this.cx.report(SEM.wrongArgumentCount, {
        span: expr.span,
        message: `\`${name}\` takes ${fn.params.length} argument${fn.params.length === 1 ? '' : 's'}, found ${expr.args.length}`,
        label: `expected \`${fn.signature}\``,
      });
      return fn.result;
    }
    expr.args.forEach((arg, i) => {
      const t = argTypes[i] ?? T.error;
      const param = fn.params[i];
      if (param && t.kind !== 'error' && !param.accepts(t)) {
        this.cx.report(SEM.typeMismatch, {
          span: arg.span,
          message: `\`${name}\` expects ${param.description}, found \`${typeToString(t)}\``,
          label: `this is \`${typeToString(t)}\``,
          notes: [`\`${fn.signature}\``],
        });
      }
    });
    if (name === 'table' && !options.allowTable) {
      this.cx.report(SEM.tableOutsideEmit, {
        span: expr.span,
        message: '`table()` can only be the argument of `emit`',
        label: 'a table is an output record, not a value',
        help: 'write `emit table(…)` as its own step',
      });
      return T.error;
    }
    if (fn.examines && scope.member === undefined) {
      this.cx.report(SEM.invalidInitialiser, {
        span: expr.span,
        message: `a state initialiser cannot call \`${name}()\``,
        label: 'reads the task',
        notes: ['initialisers run once, when the engine is created, before it is attached to any task'],
      });
      return T.error;
    }
    if (fn.examines) {
      const gone = examineAfterExit(scope, 'mem', expr.span, `\`${name}()\``);
      if (gone) this.cx.report(SEM.examineAfterExit, gone);
    }
    if (fn.examines && scope.context === 'control' && !flow.stopped) {
      this.cx.report(SEM.examineWhileRunning, examineDiagnostic(expr.span, `\`${name}()\` reads the task's memory`));
    }
    return fn.result;
  }

  #badOperands(span: Span, message: string, help?: string): void {
    this.cx.report(SEM.invalidOperands, { span, message, ...(help ? { help } : {}) });
  }
}

const TASK = { kind: 'task', name: 'task' } as const;
const REGS = { kind: 'regs', name: 'regs' } as const;

/**
 * The diagnostic for examining a task that has exited, or undefined when the handler may: `on death` runs after the
 * kernel released the task's memory (exit_mm comes before exit_notify), `on reap` runs in the reaper afterwards.
 */
export function examineAfterExit(scope: Scope, what: 'regs' | 'mem', span: Span, doing: string) {
  // `doing` names the step or call: `fetch regs`, `path()`.
  if (scope.context !== 'handler') return undefined;
  if (scope.event === 'reap') {
    return {
      span,
      message: `${doing} in \`on reap\` examines a task that is gone`,
      label: 'nothing left to examine',
      notes: ['report_reap runs in the reaping task (the parent or init) once the traced task is dead and reaped'],
      help: 'examine the task in `on exit`, where all of its state is still live',
    };
  }
  if (scope.event === 'death' && what === 'mem') {
    return {
      span,
      message: `${doing} in \`on death\` reads memory the task has released`,
      label: 'the address space is gone',
      notes: ["the kernel drops a dying thread's memory (exit_mm) before it reports death (exit_notify)"],
      help: "read memory in `on exit`, where all of the task's state is still live",
    };
  }
  return undefined;
}

/** The shared wording of the typestate error, used by `fetch` and `path()` alike. */
export function examineDiagnostic(span: Span, what: string) {
  return {
    span,
    message: `${what} while the task may be running`,
    label: 'the task is not known to be stopped here',
    notes: [
      'control code runs on the debugger side, concurrently with the task; only a `stop` whose result is `stopped` (or `await stopped`) guarantees the task is quiescent',
      'a `stop` that returns `pending` has only been requested: reading now gives garbage from a running task (race UTR3001, examine-after-pending-stop)',
    ],
    help: 'move this into the `stopped` arm: `stop match { stopped => … pending => … gone => … }`, or examine in a handler (`on quiesce`)',
  };
}

function arithmetic(op: BinaryExpr['op'], l: Type, r: Type): Type | undefined {
  if (isIntLike(l) && isIntLike(r)) return T.int;
  if (l.kind === 'duration' && r.kind === 'duration') {
    if (op === '+' || op === '-' || op === '%') return T.duration;
    if (op === '/') return T.int;
    return undefined;
  }
  if (l.kind === 'duration' && isIntLike(r) && (op === '*' || op === '/')) return T.duration;
  if (isIntLike(l) && r.kind === 'duration' && op === '*') return T.duration;
  if (l.kind === 'string' && r.kind === 'string' && op === '+') return T.string;
  return undefined;
}

function comparisonHelp(l: Type, r: Type): string | undefined {
  if ((l.kind === 'syscall' && r.kind === 'signal') || (l.kind === 'signal' && r.kind === 'syscall')) {
    return 'a syscall number and a signal number are different things, even though both are integers';
  }
  if (l.kind === 'string' || r.kind === 'string') return 'use `str(x)` to compare the printed form';
  return undefined;
}

function notPrintableHelp(t: Type): string | undefined {
  if (t.kind === 'table') return 'emit the table on its own: `emit table(m)`';
  if (t.kind === 'payload') {
    return `interpolate one of its fields instead: ${listNames(Object.keys(PAYLOAD_FIELDS[t.event] ?? {}))}`;
  }
  return undefined;
}

/** A type in prose: \`int\`, or "the \`exec\` payload" for a binding's type. */
function describeType(t: Type): string {
  return t.kind === 'payload' ? `the \`${t.event}\` payload` : `\`${typeToString(t)}\``;
}

/** The value of an integer literal, possibly negated; undefined for anything else. */
function constantInt(e: Expr): bigint | undefined {
  if (e.kind === 'IntLit') return e.value;
  if (e.kind === 'UnaryExpr' && e.op === '-' && e.operand.kind === 'IntLit') return -e.operand.value;
  return undefined;
}

function isSyscallArgs(object: Expr, cx: CheckContext): boolean {
  return object.kind === 'FieldExpr' && object.field.name === 'arg' && cx.typeOf(object.object).kind === 'payload';
}

const FIELD_EVENTS = new Map<string, EventName[]>();
for (const event of EVENT_NAMES) {
  for (const field of Object.keys(PAYLOAD_FIELDS[event] ?? {})) {
    const list = FIELD_EVENTS.get(field) ?? [];
    list.push(event);
    FIELD_EVENTS.set(field, list);
  }
}

function eventsWithField(field: string): readonly EventName[] {
  return FIELD_EVENTS.get(field) ?? [];
}

function fieldNote(event: EventName, field: string, elsewhere: readonly EventName[]): string {
  if (field === 'ret' && event === 'syscall_entry') {
    return 'the return value does not exist yet at syscall entry; read it in an `on syscall_exit` handler';
  }
  return `each event's payload carries only what utrace reports for that event; \`${field}\` belongs to ${elsewhere
    .map((e) => `\`${e}\``)
    .join(', ')}`;
}

function listNames(names: readonly string[]): string {
  if (names.length === 0) return 'no fields';
  const q = names.map((n) => `\`${n}\``);
  return q.length === 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1] ?? ''}`;
}
