/**
 * The checked program: the contract between the checker and every later phase (race rules, code generation).
 *
 * It holds the AST unchanged plus what the checker worked out about it: the architecture, each engine's state,
 * handlers (grouped by event, in source order), controls and timers, and lookup tables for the type of every
 * expression, what every name means and which side (handler or control) each piece of code runs on. Later phases
 * read these tables instead of re-deriving them.
 */
import type { Arch } from '../arch/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type {
  ControlDecl,
  Engine,
  EventName,
  Expr,
  Handler,
  Ident,
  NameExpr,
  NamePattern,
  Param,
  Program,
  StateDecl,
  TimerDecl,
} from '../parser/ast.js';
import type { PayloadType, StatusName, Type } from './types.js';

/**
 * Where a piece of code runs. `handler`: on the traced task at a report point (it may examine the task and ends
 * with a resume action). `control`: on the debugger side, concurrently with handlers (controls, timers, and the
 * `attach`/`detach` handlers).
 */
export type CodeContext = 'handler' | 'control';

/** A member that contains code. */
export type CodeMember = Handler | ControlDecl | TimerDecl;

/** One read or write of a state variable, so rules can tell which side touches which state. */
export interface StateUse {
  /** The name as written (the root of the place for `m[k] += 1`). */
  readonly node: NameExpr;
  readonly access: 'read' | 'write';
  readonly context: CodeContext;
  /** The member whose code contains the use. */
  readonly member: CodeMember;
}

/** `state NAME: TYPE [= INIT]` */
export interface StateSymbol {
  readonly kind: 'state';
  readonly name: string;
  readonly type: Type;
  readonly init?: Expr;
  readonly decl: StateDecl;
  /** Every use in the engine's code, in source order. */
  readonly uses: readonly StateUse[];
}

/** A handler's binding (`call` in `on syscall_entry(call)`). Read-only. */
export interface BindingSymbol {
  readonly kind: 'binding';
  readonly name: string;
  readonly event: EventName;
  readonly type: PayloadType;
  readonly decl: Ident;
  readonly handler: Handler;
}

/** A control's parameter. Read-only. */
export interface ParamSymbol {
  readonly kind: 'param';
  readonly name: string;
  readonly type: Type;
  readonly decl: Param;
  readonly control: ControlDecl;
}

/** `task`: the traced task, available everywhere. Read-only. */
export interface TaskSymbol {
  readonly kind: 'task';
  readonly name: 'task';
}

/** `regs`: the register snapshot bound by `fetch regs` for the rest of the path. Read-only. */
export interface RegsSymbol {
  readonly kind: 'regs';
  readonly name: 'regs';
}

/** A syscall name of the file's architecture (`openat`), a constant of type `syscall`. */
export interface SyscallSymbol {
  readonly kind: 'syscall';
  readonly name: string;
  readonly nr: number;
}

/** A signal name (`SIGSEGV`), a constant of type `signal`. */
export interface SignalSymbol {
  readonly kind: 'signal';
  readonly name: string;
  readonly signo: number;
}

/** An event name used as a value (`q.event == syscall_entry`), or `none` for the return-to-user quiesce pass. */
export interface EventSymbol {
  readonly kind: 'event';
  readonly name: EventName | 'none';
}

/** A status name in a pattern of a control-call result (`stopped =>`). */
export interface StatusSymbol {
  readonly kind: 'status';
  readonly name: StatusName;
}

/** An engine of this file (the target of `attach E to T`). */
export interface EngineSymbol {
  readonly kind: 'engine';
  readonly name: string;
  readonly engine: Engine;
}

/** What a name means. */
export type NameSymbol =
  | StateSymbol
  | BindingSymbol
  | ParamSymbol
  | TaskSymbol
  | RegsSymbol
  | SyscallSymbol
  | SignalSymbol
  | EventSymbol
  | StatusSymbol
  | EngineSymbol;

/** The discriminant of `NameSymbol`. */
export type SymbolKind = NameSymbol['kind'];

/** A handler, with its event and what the checker decided about it. */
export interface CheckedHandler {
  readonly node: Handler;
  readonly event: EventName;
  /** The binding, when the handler names one. */
  readonly binding?: BindingSymbol;
  /** The payload type of the event (present even without a binding, absent for events without a payload). */
  readonly payload?: PayloadType;
  /** `control` for `attach`/`detach`, `handler` otherwise. */
  readonly context: CodeContext;
  /** False when an earlier guard-less handler for the same event always runs first. */
  readonly reachable: boolean;
}

/** The handlers of one event in source order: tried in turn, the first whose guard holds runs. */
export interface HandlerGroup {
  readonly event: EventName;
  readonly handlers: readonly CheckedHandler[];
}

/** `control NAME(PARAMS) do STEPS` */
export interface CheckedControl {
  readonly node: ControlDecl;
  readonly name: string;
  readonly params: readonly ParamSymbol[];
  readonly context: 'control';
}

/** `every PERIOD [when GUARD] do STEPS` */
export interface CheckedTimer {
  readonly node: TimerDecl;
  /** The period in nanoseconds when it is a valid constant positive duration. */
  readonly periodNanos?: bigint;
  readonly context: 'control';
}

/** Lookup tables shared by the whole program and each engine. */
export interface CheckedLookups {
  /** The type of an expression the checker visited; `error` for one it could not type (or never saw). */
  typeOf(expr: Expr): Type;
  /** What a name expression or a name pattern refers to; undefined when it did not resolve (already reported). */
  symbolOf(name: NameExpr | NamePattern): NameSymbol | undefined;
  /** Which side the member's code runs on. */
  contextOf(member: CodeMember): CodeContext;
}

/** One engine after checking. */
export interface CheckedEngine extends CheckedLookups {
  readonly node: Engine;
  readonly name: string;
  /** State in declaration order (a duplicate declaration is reported and left out). */
  readonly states: readonly StateSymbol[];
  /** State by name. */
  readonly stateByName: ReadonlyMap<string, StateSymbol>;
  /** Handlers grouped by event, groups in order of first appearance, handlers in source order. */
  readonly handlers: readonly HandlerGroup[];
  /** Controls in source order (a duplicate name is reported and left out). */
  readonly controls: readonly CheckedControl[];
  readonly timers: readonly CheckedTimer[];
  /** The utrace events the engine subscribes to at attach: those it has handlers for (not `attach`/`detach`). */
  readonly subscribedEvents: readonly EventName[];
  /** The handlers for an event, in source order (empty when there are none). */
  handlersFor(event: EventName): readonly CheckedHandler[];
}

/** A whole file after checking. Code generation runs only when `diagnostics` has no error. */
export interface CheckedProgram extends CheckedLookups {
  readonly source: SourceFile;
  readonly program: Program;
  readonly arch: Arch;
  readonly engines: readonly CheckedEngine[];
  /** The parse diagnostics followed by the checker's, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
}
