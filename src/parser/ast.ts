/**
 * The typed abstract syntax tree of a `.utr` file.
 *
 * Every node has a `kind` discriminant and a `span` into its source file. The parser always returns a whole
 * `Program`, even for broken input: a construct it could not read is left out (or, inside an expression, replaced by
 * an `ErrorExpr`), and the syntax diagnostics say what was wrong. Later phases never mutate the tree.
 *
 * Names are kept as written (`Ident`); which declaration, syscall, signal or payload field a name means is the
 * checker's business, not the parser's.
 */
import type { Span } from '../diagnostics/source.js';

/** A name as written, with where it was written. */
export interface Ident {
  readonly kind: 'Ident';
  readonly span: Span;
  readonly name: string;
}

/** A whole `.utr` file. */
export interface Program {
  readonly kind: 'Program';
  readonly span: Span;
  /** `arch x86_64`: the architecture whose syscall table, signal numbers and registers the file uses. */
  readonly arch?: ArchDirective;
  readonly engines: readonly Engine[];
}

/** `arch NAME` at the top of a file. Without it the checker uses the command line's `--arch` (default x86_64). */
export interface ArchDirective {
  readonly kind: 'ArchDirective';
  readonly span: Span;
  readonly name: Ident;
}

/** `engine NAME { members }` */
export interface Engine {
  readonly kind: 'Engine';
  readonly span: Span;
  readonly name: Ident;
  readonly members: readonly Member[];
}

export type Member = StateDecl | Handler | ControlDecl | TimerDecl;

/** `state NAME: TYPE [= INIT]` */
export interface StateDecl {
  readonly kind: 'StateDecl';
  readonly span: Span;
  readonly name: Ident;
  readonly type: TypeRef;
  readonly init?: Expr;
}

/** A type as written: `int`, `map<syscall, count>`, `list<regs>`. */
export interface TypeRef {
  readonly kind: 'TypeRef';
  readonly span: Span;
  readonly name: Ident;
  readonly args: readonly TypeRef[];
}

/** The utrace events a handler can be written for, plus the engine's own attach and detach. */
export const EVENT_NAMES = [
  'quiesce',
  'syscall_entry',
  'syscall_exit',
  'signal',
  'clone',
  'exec',
  'exit',
  'death',
  'reap',
  'jctl',
  'attach',
  'detach',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** `on EVENT [(BINDING)] [when GUARD] do STEPS` */
export interface Handler {
  readonly kind: 'Handler';
  readonly span: Span;
  /** The event as written; the checker reports a name that is not an `EventName`. */
  readonly event: Ident;
  /** The name the event's payload is bound to, e.g. `call` in `on syscall_entry(call)`. */
  readonly binding?: Ident;
  readonly guard?: Expr;
  readonly body: Block;
}

/** `control NAME[(PARAMS)] do STEPS`: an operation the host program or the command line invokes. */
export interface ControlDecl {
  readonly kind: 'ControlDecl';
  readonly span: Span;
  readonly name: Ident;
  readonly params: readonly Param[];
  readonly body: Block;
}

export interface Param {
  readonly kind: 'Param';
  readonly span: Span;
  readonly name: Ident;
  readonly type: TypeRef;
}

/** `every DURATION [when GUARD] do STEPS`: a debugger-side timer. */
export interface TimerDecl {
  readonly kind: 'TimerDecl';
  readonly span: Span;
  readonly period: Expr;
  readonly guard?: Expr;
  readonly body: Block;
}

/** Steps joined by `then`, run in order. */
export interface Block {
  readonly kind: 'Block';
  readonly span: Span;
  readonly steps: readonly Step[];
}

export type Step =
  | FetchStep
  | SetStep
  | UpdateStep
  | AppendStep
  | EmitStep
  | AttachStep
  | EventsStep
  | BarrierStep
  | NothingStep
  | IfStep
  | MatchStep
  | ActionStep
  | AwaitStep
  | AbortStep
  | FateStep
  | AssertStep;

/** `fetch regs [into X]` or `fetch mem(ADDR, LEN) into X`. */
export interface FetchStep {
  readonly kind: 'FetchStep';
  readonly span: Span;
  readonly what: 'regs' | 'mem';
  /** For `mem`: the address and length expressions. */
  readonly addr?: Expr;
  readonly len?: Expr;
  readonly into?: Expr;
}

/** `set TARGET = VALUE` */
export interface SetStep {
  readonly kind: 'SetStep';
  readonly span: Span;
  readonly target: Expr;
  readonly value: Expr;
}

/** `TARGET += VALUE` / `TARGET -= VALUE` (also the way to bump `count` and `sum` aggregations). */
export interface UpdateStep {
  readonly kind: 'UpdateStep';
  readonly span: Span;
  readonly target: Expr;
  readonly op: '+=' | '-=';
  readonly value: Expr;
}

/** `append VALUE to TARGET`: add to a `list`, or record a sample in a `hist`. */
export interface AppendStep {
  readonly kind: 'AppendStep';
  readonly span: Span;
  readonly value: Expr;
  readonly target: Expr;
}

/** `emit EXPR`: a structured output record (a string, usually interpolated, or `table(map)`). */
export interface EmitStep {
  readonly kind: 'EmitStep';
  readonly span: Span;
  readonly value: Expr;
}

/** `attach ENGINE to TASK` (typically `attach follower to c.child` in a clone handler). */
export interface AttachStep {
  readonly kind: 'AttachStep';
  readonly span: Span;
  readonly engine: Ident;
  readonly task: Expr;
}

/** `events +EVENT -EVENT …`, optionally with the result matched. */
export interface EventsStep {
  readonly kind: 'EventsStep';
  readonly span: Span;
  readonly changes: readonly EventChange[];
  readonly arms?: readonly MatchArm[];
}

export interface EventChange {
  readonly kind: 'EventChange';
  readonly span: Span;
  readonly sign: '+' | '-';
  readonly event: Ident;
}

/** `barrier`, optionally with the result matched. */
export interface BarrierStep {
  readonly kind: 'BarrierStep';
  readonly span: Span;
  readonly arms?: readonly MatchArm[];
}

/** `nothing`: ends a control path without a runtime call. */
export interface NothingStep {
  readonly kind: 'NothingStep';
  readonly span: Span;
}

/** `if COND { STEPS } [else if … | else { STEPS }]` */
export interface IfStep {
  readonly kind: 'IfStep';
  readonly span: Span;
  readonly cond: Expr;
  readonly then: Block;
  readonly else?: Block | IfStep;
}

/** `match EXPR { PATTERN => STEPS … }` over a value. */
export interface MatchStep {
  readonly kind: 'MatchStep';
  readonly span: Span;
  readonly subject: Expr;
  readonly arms: readonly MatchArm[];
}

/** `PATTERN [, PATTERN…] => STEPS` */
export interface MatchArm {
  readonly kind: 'MatchArm';
  readonly span: Span;
  readonly patterns: readonly Pattern[];
  readonly body: Block;
}

/** A match pattern: `_`, a name (a status such as `stopped`, a syscall, a signal), or a literal. */
export type Pattern = WildcardPattern | NamePattern | LiteralPattern;

export interface WildcardPattern {
  readonly kind: 'WildcardPattern';
  readonly span: Span;
}

export interface NamePattern {
  readonly kind: 'NamePattern';
  readonly span: Span;
  readonly name: Ident;
}

export interface LiteralPattern {
  readonly kind: 'LiteralPattern';
  readonly span: Span;
  readonly value: IntLit | StringLit | BoolLit;
}

/** The resume actions, in utrace's order (smaller wins when engines disagree). */
export const RESUME_ACTIONS = ['stop', 'interrupt', 'report', 'singlestep', 'blockstep', 'resume', 'detach'] as const;
export type ResumeActionName = (typeof RESUME_ACTIONS)[number];

/**
 * A resume action. In a handler it is the final step of a path: how this engine wants the task to go on. In control
 * code it is a call into the runtime (`utrace_control`) whose status may be matched (and must be, for `stop`).
 */
export interface ActionStep {
  readonly kind: 'ActionStep';
  readonly span: Span;
  readonly action: ResumeActionName;
  readonly arms?: readonly MatchArm[];
}

/** `await stopped [within DURATION] match { stopped => … timeout => … gone => … }` (control code only). */
export interface AwaitStep {
  readonly kind: 'AwaitStep';
  readonly span: Span;
  readonly within?: Expr;
  readonly arms?: readonly MatchArm[];
}

/** `abort`: skip the system call (syscall_entry handlers only). */
export interface AbortStep {
  readonly kind: 'AbortStep';
  readonly span: Span;
}

/** The fates a signal handler can choose for the signal (utrace's signal actions). */
export const SIGNAL_FATES = ['deliver', 'ignore', 'stop', 'terminate', 'core', 'handler'] as const;
export type SignalFate = (typeof SIGNAL_FATES)[number];
const SIGNAL_FATE_SET: ReadonlySet<string> = new Set(SIGNAL_FATES);
/** Whether `name` is one of `SIGNAL_FATES`: the one test the grammar and the fast path both make. */
export function isSignalFate(name: string): name is SignalFate {
  return SIGNAL_FATE_SET.has(name);
}

/** `fate FATE`: what happens to the signal being reported (signal handlers only). */
export interface FateStep {
  readonly kind: 'FateStep';
  readonly span: Span;
  readonly fate: SignalFate;
  readonly fateSpan: Span;
}

/** `assert COND [, "message"]`: an invariant the explorer checks on every schedule. */
export interface AssertStep {
  readonly kind: 'AssertStep';
  readonly span: Span;
  readonly cond: Expr;
  readonly message?: StringLit;
}

export type Expr =
  | IntLit
  | StringLit
  | BoolLit
  | DurationLit
  | NameExpr
  | FieldExpr
  | IndexExpr
  | UnaryExpr
  | BinaryExpr
  | InExpr
  | CallExpr
  | ErrorExpr;

/** A decimal or hexadecimal integer, held exactly. */
export interface IntLit {
  readonly kind: 'IntLit';
  readonly span: Span;
  readonly value: bigint;
}

/** A string; `{EXPR}` parts are interpolated. Literal parts are already unescaped. */
export interface StringLit {
  readonly kind: 'StringLit';
  readonly span: Span;
  readonly parts: readonly (string | Expr)[];
}

export interface BoolLit {
  readonly kind: 'BoolLit';
  readonly span: Span;
  readonly value: boolean;
}

/** `10ms`, `1s`, `250us`, `5ns`, `2m`: held in nanoseconds. */
export interface DurationLit {
  readonly kind: 'DurationLit';
  readonly span: Span;
  readonly nanos: bigint;
}

/** A bare name: state, binding, parameter, syscall (`openat`), signal (`SIGINT`), `regs`, `task`. */
export interface NameExpr {
  readonly kind: 'NameExpr';
  readonly span: Span;
  readonly name: Ident;
}

export interface FieldExpr {
  readonly kind: 'FieldExpr';
  readonly span: Span;
  readonly object: Expr;
  readonly field: Ident;
}

export interface IndexExpr {
  readonly kind: 'IndexExpr';
  readonly span: Span;
  readonly object: Expr;
  readonly index: Expr;
}

export type UnaryOp = 'not' | '-';
export interface UnaryExpr {
  readonly kind: 'UnaryExpr';
  readonly span: Span;
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export type BinaryOp = 'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';
export interface BinaryExpr {
  readonly kind: 'BinaryExpr';
  readonly span: Span;
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

/** `VALUE in {A, B, …}` */
export interface InExpr {
  readonly kind: 'InExpr';
  readonly span: Span;
  readonly value: Expr;
  readonly set: readonly Expr[];
}

/** A call of the small built-in library: `path(addr)`, `table(map)`, `len(x)`, … */
export interface CallExpr {
  readonly kind: 'CallExpr';
  readonly span: Span;
  readonly callee: Ident;
  readonly args: readonly Expr[];
}

/** Stands for an expression the parser could not read; a syntax diagnostic covers it. */
export interface ErrorExpr {
  readonly kind: 'ErrorExpr';
  readonly span: Span;
}

export type Node =
  | Program
  | ArchDirective
  | Engine
  | Member
  | TypeRef
  | Param
  | Block
  | Step
  | EventChange
  | MatchArm
  | Pattern
  | Expr
  | Ident;

/** The kinds of all nodes, so registries keyed by kind fail to compile when a kind is misspelled. */
export type NodeKind = Node['kind'];
