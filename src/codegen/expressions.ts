/**
 * Translates `.utr` expressions into TypeScript expressions, using the checker's types and name resolution. Every
 * result is parenthesised where precedence could matter, so expressions compose without surprises; prettier removes
 * the parentheses that are not needed.
 */
import type { CheckedEngine } from '../checker/program.js';
import type { Type } from '../checker/types.js';
import type { BinaryExpr, EventName, Expr, FieldExpr, IndexExpr, NameExpr, StringLit } from '../parser/ast.js';
import type { ModuleContext } from './context.js';
import { bigintLiteral, commentText, numberLiteral, safeProperty, stringLiteral } from './literals.js';
import { isBigint, showExpr } from './types.js';

/** Where an expression is evaluated. */
export interface CodeScope {
  /** `handler`: in a callback (`ctx` is the callback context); `control`: debugger side (`ctl`); `init`: state
   * initialisers (constants only). */
  readonly side: 'handler' | 'control' | 'init';
  /** The handler's event, for its binding's fields. */
  readonly event?: EventName;
  /** The handler's binding name. */
  readonly binding?: string;
  /** Control parameters: `.utr` name → TypeScript local. */
  readonly locals: ReadonlyMap<string, string>;
}

/** The utrace event constant of each event name (`Event.SyscallEntry`). */
export const EVENT_CONSTANTS: Readonly<Record<EventName, string>> = {
  quiesce: 'Event.Quiesce',
  syscall_entry: 'Event.SyscallEntry',
  syscall_exit: 'Event.SyscallExit',
  signal: 'EVENT_SIGNAL_ALL',
  clone: 'Event.Clone',
  exec: 'Event.Exec',
  exit: 'Event.Exit',
  death: 'Event.Death',
  reap: 'Event.Reap',
  jctl: 'Event.Jctl',
  attach: '0',
  detach: '0',
};

/** Writes expressions for one engine. */
export class ExprWriter {
  constructor(
    readonly m: ModuleContext,
    readonly engine: CheckedEngine,
  ) {}

  typeOf(e: Expr): Type {
    return this.engine.typeOf(e);
  }

  /** The constant for an event name used as a value (`q.event == exec`). */
  eventConstant(name: EventName | 'none'): string {
    if (name === 'none') return '0';
    const c = EVENT_CONSTANTS[name];
    this.m.value(c.split('.')[0] as string);
    return c;
  }

  /** The TypeScript expression for `e`. */
  expr(e: Expr, s: CodeScope): string {
    switch (e.kind) {
      case 'IntLit':
        return bigintLiteral(e.value);
      case 'DurationLit':
        return bigintLiteral(e.nanos);
      case 'BoolLit':
        return e.value ? 'true' : 'false';
      case 'StringLit':
        return this.string(e, s);
      case 'NameExpr':
        return this.name(e, s);
      case 'FieldExpr':
        return this.field(e, s);
      case 'IndexExpr':
        return this.index(e, s);
      case 'UnaryExpr': {
        // A negative literal is a literal, not arithmetic.
        if (e.op === '-' && e.operand.kind === 'IntLit' && e.operand.value <= 1n << 63n)
          return bigintLiteral(-e.operand.value);
        const operand = this.expr(e.operand, s);
        return e.op === 'not' ? `!${operand}` : `${this.m.value('i64')}(-${operand})`;
      }
      case 'BinaryExpr':
        return this.binary(e, s);
      case 'InExpr':
        return `${this.m.value('inSet')}(${this.expr(e.value, s)}, [${e.set.map((x) => this.expr(x, s)).join(', ')}])`;
      case 'CallExpr':
        return this.call(e, s);
      case 'ErrorExpr':
        throw new Error('internal error: code generation reached an expression the parser could not read');
    }
  }

  private string(e: StringLit, s: CodeScope): string {
    if (e.parts.length === 0) return '""';
    const parts = e.parts.map((p) =>
      typeof p === 'string' ? stringLiteral(p) : showExpr(this.typeOf(p), this.expr(p, s), this.m),
    );
    // A lone interpolation of a non-string still needs to be a string.
    if (parts.length === 1 && typeof e.parts[0] !== 'string') return parts[0] as string;
    return `(${parts.join(' + ')})`;
  }

  private name(e: NameExpr, s: CodeScope): string {
    const sym = this.engine.symbolOf(e);
    if (!sym) throw new Error(`internal error: \`${e.name.name}\` did not resolve`);
    switch (sym.kind) {
      case 'state':
        return `this.state.${safeProperty(sym.name)}`;
      case 'param': {
        const local = s.locals.get(sym.name);
        if (local === undefined) throw new Error(`internal error: parameter \`${sym.name}\` out of scope`);
        return local;
      }
      case 'task':
        return s.side === 'handler' ? 'ctx.task' : 'this.task';
      case 'regs':
        return 'regs';
      case 'syscall':
        return `${bigintLiteral(BigInt(sym.nr))} /* ${commentText(sym.name)} */`;
      case 'signal':
        return `${bigintLiteral(BigInt(sym.signo))} /* ${commentText(sym.name)} */`;
      case 'event':
        return this.eventConstant(sym.name);
      case 'binding':
        throw new Error(`internal error: the binding \`${sym.name}\` is used as a value`);
      case 'status':
      case 'engine':
        throw new Error(`internal error: \`${sym.name}\` is not a value`);
    }
  }

  private isBinding(e: Expr): boolean {
    if (e.kind !== 'NameExpr') return false;
    return this.engine.symbolOf(e)?.kind === 'binding';
  }

  private field(e: FieldExpr, s: CodeScope): string {
    const name = e.field.name;
    if (this.isBinding(e.object)) return this.payloadField(name, s);
    const objectType = this.typeOf(e.object);
    const object = this.expr(e.object, s);
    if (objectType.kind === 'task') {
      if (name === 'tid') return `BigInt(${object})`;
      return `BigInt(this.host.tgid(${object}))`;
    }
    if (objectType.kind === 'regs') return `${this.m.value('reg')}(${object}, ${stringLiteral(name)})`;
    throw new Error(`internal error: no field \`${name}\` on \`${objectType.kind}\``);
  }

  /** A field of the handler's binding: read from the callback's arguments. */
  private payloadField(field: string, s: CodeScope): string {
    const m = this.m;
    switch (`${s.event}.${field}`) {
      case 'quiesce.event':
        return `${m.value('quiesceEvent')}(event)`;
      case 'syscall_entry.nr':
      case 'syscall_exit.nr':
        return 'BigInt(ctx.syscallNr())';
      case 'syscall_entry.arg':
      case 'syscall_exit.arg':
        return `${m.value('syscallArgs')}(ctx)`;
      case 'syscall_entry.resumed':
        return `(action & ${m.value('SYSCALL_RESUMED')}) !== 0`;
      case 'syscall_exit.ret':
        return 'ctx.syscallRet()';
      case 'signal.signo':
        return 'BigInt(info.signo)';
      case 'signal.code':
        return 'BigInt(info.code)';
      case 'clone.child':
        return 'child';
      case 'clone.flags':
        return 'cloneFlags';
      case 'clone.vfork':
        return `(cloneFlags & ${m.value('CloneFlags')}.CLONE_VFORK) !== 0n`;
      case 'clone.thread':
        return `(cloneFlags & ${m.value('CloneFlags')}.CLONE_THREAD) !== 0n`;
      case 'exec.file':
        return 'exec.filename';
      case 'exit.code':
        return `${m.value('exitCode')}(origCode)`;
      case 'death.group_dead':
        return 'groupDead';
      case 'death.signal':
        return 'BigInt(signal)';
      case 'jctl.stopped':
        return `type === ${m.value('CLD_STOPPED')}`;
      case 'jctl.notify':
        return 'notify !== 0';
      default:
        throw new Error(`internal error: no payload field \`${field}\` on \`${s.event}\``);
    }
  }

  private index(e: IndexExpr, s: CodeScope): string {
    const m = this.m;
    // `call.arg[i]`: one register read; a constant index needs no check (the checker bounded it).
    if (e.object.kind === 'FieldExpr' && e.object.field.name === 'arg' && this.isBinding(e.object.object)) {
      if (e.index.kind === 'IntLit') return `ctx.syscallArg(${numberLiteral(Number(e.index.value))})`;
      return `ctx.syscallArg(${m.value('argIndex')}(${this.expr(e.index, s)}, ${m.locRef(e.index.span)}))`;
    }
    const objectType = this.typeOf(e.object);
    const object = this.expr(e.object, s);
    const index = this.expr(e.index, s);
    if (objectType.kind === 'map') return `${object}.at(${this.key(index, this.typeOf(e.index), objectType.key)})`;
    return `${m.value('listAt')}(${object}, ${index}, ${m.locRef(e.span)})`;
  }

  /** A map key of type `keyType` from an index expression of type `t` (an `int`-like key is held as bigint). */
  key(index: string, _t: Type, _keyType: Type): string {
    return index;
  }

  private binary(e: BinaryExpr, s: CodeScope): string {
    const m = this.m;
    const l = this.expr(e.left, s);
    const r = this.expr(e.right, s);
    const lt = this.typeOf(e.left);
    switch (e.op) {
      case 'and':
        return `(${l} && ${r})`;
      case 'or':
        return `(${l} || ${r})`;
      case '==':
      case '!=': {
        const eq = lt.kind === 'bytes' ? `${m.value('bytesEqual')}(${l}, ${r})` : `${l} === ${r}`;
        return e.op === '==' ? `(${eq})` : lt.kind === 'bytes' ? `!${eq}` : `(${l} !== ${r})`;
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `(${l} ${e.op} ${r})`;
      case '+':
        if (lt.kind === 'string') return `(${l} + ${r})`;
        return `${m.value('i64')}(${l} + ${r})`;
      case '-':
      case '*':
        return `${m.value('i64')}(${l} ${e.op} ${r})`;
      case '/':
        return `${m.value('div')}(${l}, ${r}, ${m.locRef(e.span)})`;
      case '%':
        return `${m.value('mod')}(${l}, ${r}, ${m.locRef(e.span)})`;
    }
  }

  private call(e: Extract<Expr, { kind: 'CallExpr' }>, s: CodeScope): string {
    const m = this.m;
    const args = e.args.map((a) => this.expr(a, s));
    const arg0 = e.args[0];
    switch (e.callee.name) {
      case 'path':
        return s.side === 'handler' ? `ctx.readString(${args[0]})` : `ctl.readString(this.task, ${args[0]})`;
      case 'len':
        return `${m.value('len')}(${args[0]})`;
      case 'hex':
        return `${m.value('hex')}(${args[0]})`;
      case 'str':
        return arg0 ? showExpr(this.typeOf(arg0), args[0] as string, m) : '""';
      case 'table':
        return this.table(arg0, args[0] as string);
      default:
        throw new Error(`internal error: no library function \`${e.callee.name}\``);
    }
  }

  private table(arg: Expr | undefined, map: string): string {
    const t = arg ? this.typeOf(arg) : undefined;
    if (!t || t.kind !== 'map') throw new Error('internal error: `table` of a non-map');
    const m = this.m;
    const key = typeName(t.key);
    const valueName = typeName(t.value);
    const value =
      isBigint(t.value) && t.value.kind !== 'syscall' && t.value.kind !== 'signal' && t.value.kind !== 'duration'
        ? '(v) => v'
        : `(v) => ${showExpr(t.value, 'v', m)}`;
    const keyShow = showExpr(t.key, 'k', m);
    return `${m.value('table')}(${map}, [${stringLiteral(key)}, ${stringLiteral(valueName)}], (k) => ${keyShow}, ${value})`;
  }
}

/** The name of a type as a table heading. */
export function typeName(t: Type): string {
  switch (t.kind) {
    case 'list':
      return `list<${typeName(t.element)}>`;
    case 'map':
      return `map<${typeName(t.key)}, ${typeName(t.value)}>`;
    default:
      return t.kind;
  }
}
