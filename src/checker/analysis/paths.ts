/**
 * Path enumeration for one body of code (a handler, a control, a timer).
 *
 * A body's steps are walked in order; `if`, value `match` and a control call's result `match` split the walk, so
 * each resulting path records exactly what happened on it, in order: the control calls with the statuses that can
 * reach the rest of the path, state reads and writes, examinations of the task, the handler's final action. Boolean
 * state conditions become assumptions on the path (see `conditions.ts`), and a path whose assumptions contradict
 * each other is dropped, so `if flag { … }` after `set flag = false` never takes its `then` branch.
 */
import type {
  ActionStep,
  AttachStep,
  AwaitStep,
  BarrierStep,
  Block,
  EventsStep,
  Expr,
  FateStep,
  MatchArm,
  NameExpr,
  ResumeActionName,
  SignalFate,
  Step,
} from '../../parser/ast.js';
import type { Span } from '../../diagnostics/source.js';
import type { ControlCall, StatusName } from '../types.js';
import { CALL_STATUSES } from '../events.js';
import type { Dnf, Term } from './conditions.js';
import { toDnf } from './conditions.js';

/** A control-side call as it happened on one path. */
export interface CallEvent {
  readonly kind: 'call';
  readonly call: ControlCall;
  readonly node: ActionStep | EventsStep | BarrierStep | AwaitStep;
  /** The statuses with which the path goes on after the call (all of them when the result is not matched). */
  readonly statuses: readonly StatusName[];
  /** Whether the result was matched at all. */
  readonly matched: boolean;
  /** Whether the engine's stop was confirmed in force just before the call. */
  readonly stoppedBefore: boolean;
  /** Boolean state known to be true just before the call (written or assumed on this path). */
  readonly flagsTrue: readonly string[];
  /** For `events`: the events removed and added. */
  readonly removes: readonly string[];
  readonly adds: readonly string[];
  /** For `await stopped`: whether a `within` limit bounds the wait. */
  readonly bounded: boolean;
}

/** The resume action a handler path ends with. `node` is absent for the implicit default `resume`. */
export interface FinalEvent {
  readonly kind: 'final';
  readonly action: ResumeActionName;
  readonly node?: ActionStep;
  readonly span: Span;
}

/** A read of a state variable. */
export interface ReadEvent {
  readonly kind: 'read';
  readonly state: string;
  readonly node: NameExpr;
  readonly stopped: boolean;
}

/** A write of a state variable; `value` is the literal boolean written, or null when not a known boolean. */
export interface WriteEvent {
  readonly kind: 'write';
  readonly state: string;
  readonly node: NameExpr;
  readonly step: Step;
  readonly value: boolean | null;
  readonly stopped: boolean;
}

/** `fetch regs`/`fetch mem`/`path()`: something that examines the task. */
export interface ExamineEvent {
  readonly kind: 'examine';
  readonly span: Span;
  /** The `fetch` step; absent for a `path()` call. */
  readonly step?: Step;
  readonly stopped: boolean;
  /** The call that last released a confirmed stop on this path, if any (for the message). */
  readonly releasedBy?: CallEvent;
}

/** A decision taken on state: an `if` or value `match` (or a timer guard) whose condition reads state. */
export interface BranchEvent {
  readonly kind: 'branch';
  readonly span: Span;
  readonly reads: readonly NameExpr[];
  /** The boolean values this branch assumed for the state it read. */
  readonly assumed: Term;
  readonly stopped: boolean;
}

/** `fate F` in a signal handler. */
export interface FateEvent {
  readonly kind: 'fate';
  readonly fate: SignalFate;
  readonly node: FateStep;
}

/** `abort`: skip the system call (syscall-entry handlers). */
export interface AbortEvent {
  readonly kind: 'abort';
  readonly span: Span;
}

/** `attach E to T`. */
export interface AttachEvent {
  readonly kind: 'attach';
  readonly node: AttachStep;
}

/** Everything a path records. */
export type PathEvent =
  CallEvent | FinalEvent | ReadEvent | WriteEvent | ExamineEvent | BranchEvent | FateEvent | AttachEvent | AbortEvent;

/** One path through a body. */
export interface Path {
  /** What the path assumes boolean state held when the body started. */
  readonly assume: Term;
  /** Boolean state written on the path: its last literal value, or null when the value is not a known boolean. */
  readonly values: ReadonlyMap<string, boolean | null>;
  readonly trace: readonly PathEvent[];
  /** Control code: the engine's stop is confirmed in force (inside a `stopped` arm, not released since). */
  readonly stopped: boolean;
  /** A handler path that reached its final action. */
  readonly ended: boolean;
}

/** A cell of a path's trace while it is being walked: paths share their common prefix instead of copying it. */
interface Cell {
  readonly ev: PathEvent;
  readonly prev?: Cell;
}

/** A path while it is being walked; `toPath` turns the shared trace into an array once the walk is over. */
interface WPath {
  readonly assume: Term;
  readonly values: ReadonlyMap<string, boolean | null>;
  readonly head: Cell | undefined;
  readonly stopped: boolean;
  readonly ended: boolean;
}

/** A copy of `p` with some fields changed; always the same object shape, which keeps V8's property access fast. */
function w(p: WPath, c: Partial<WPath>): WPath {
  return {
    assume: c.assume ?? p.assume,
    values: c.values ?? p.values,
    head: 'head' in c ? c.head : p.head,
    stopped: c.stopped ?? p.stopped,
    ended: c.ended ?? p.ended,
  };
}

function cell(ev: PathEvent, prev: Cell | undefined): Cell {
  return prev ? { ev, prev } : { ev };
}

function toPath(w: WPath): Path {
  const trace: PathEvent[] = [];
  for (let c = w.head; c !== undefined; c = c.prev) trace.push(c.ev);
  trace.reverse();
  return { assume: w.assume, values: w.values, trace, stopped: w.stopped, ended: w.ended };
}

/** How names resolve in the body being walked. */
export interface NameResolver {
  /** The state variable an expression names (a bare name that resolves to state), if any. */
  stateOf(expr: NameExpr): string | undefined;
  /** The boolean state variable an expression is, if any (for conditions). */
  boolStateOf(expr: Expr): string | undefined;
}

/** The result of walking one body. */
export interface WalkResult {
  readonly paths: readonly Path[];
  /** True when the number of paths hit the cap and some were dropped. */
  readonly truncated: boolean;
}

/** Past this many live paths a body is cut short; real engines are far below it. */
export const MAX_PATHS = 1024;

const RELEASING: ReadonlySet<ControlCall> = new Set<ControlCall>([
  'resume',
  'report',
  'interrupt',
  'singlestep',
  'blockstep',
  'detach',
]);

/** Walks a body in handler or control context, starting from paths that satisfy `entry`. */
export function walkBody(body: Block, context: 'handler' | 'control', entry: Dnf, names: NameResolver): WalkResult {
  const w = new Walker(context, names);
  const start: WPath[] = [];
  for (const term of entry)
    start.push({ assume: term, values: new Map(), head: undefined, stopped: false, ended: false });
  const paths = w.block(body, start).map(toPath);
  return { paths, truncated: w.truncated };
}

/** Walks an expression evaluated at the start of a body (a timer guard) and returns its reads. */
export function readsOf(expr: Expr, names: NameResolver): NameExpr[] {
  const out: NameExpr[] = [];
  visitExpr(expr, (e) => {
    if (e.kind === 'NameExpr' && names.stateOf(e) !== undefined) out.push(e);
  });
  return out;
}

class Walker {
  truncated = false;
  constructor(
    readonly context: 'handler' | 'control',
    readonly names: NameResolver,
  ) {}

  block(block: Block, paths: WPath[]): WPath[] {
    let live = paths;
    for (const step of block.steps) {
      const next: WPath[] = [];
      for (const p of live) {
        if (p.ended) next.push(p);
        else for (const q of this.step(step, p)) next.push(q);
      }
      live = this.cap(next);
    }
    return live;
  }

  cap(paths: WPath[]): WPath[] {
    if (paths.length <= MAX_PATHS) return paths;
    this.truncated = true;
    return paths.slice(0, MAX_PATHS);
  }

  step(step: Step, p: WPath): WPath[] {
    switch (step.kind) {
      case 'FetchStep': {
        let q = p;
        if (step.addr) q = this.reads(step.addr, q);
        if (step.len) q = this.reads(step.len, q);
        q = this.push(q, { kind: 'examine', span: step.span, step, stopped: q.stopped, ...released(q) });
        if (step.into) q = this.write(step.into, step, null, q, true);
        return [q];
      }
      case 'SetStep': {
        const q = this.reads(step.value, p);
        const lit = step.value.kind === 'BoolLit' ? step.value.value : null;
        return [this.write(step.target, step, lit, q, false)];
      }
      case 'UpdateStep':
        return [this.write(step.target, step, null, this.reads(step.value, p), true)];
      case 'AppendStep':
        return [this.write(step.target, step, null, this.reads(step.value, p), true)];
      case 'EmitStep':
        return [this.reads(step.value, p)];
      case 'AttachStep':
        return [this.push(this.reads(step.task, p), { kind: 'attach', node: step })];
      case 'NothingStep':
        return [p];
      case 'AbortStep':
        return [this.push(p, { kind: 'abort', span: step.span })];
      case 'AssertStep':
        return [this.reads(step.cond, p)];
      case 'FateStep':
        return [this.push(p, { kind: 'fate', fate: step.fate, node: step })];
      case 'IfStep':
        return this.ifStep(step.cond, step.then, step.else, p, step.span);
      case 'MatchStep':
        return this.valueMatch(step.subject, step.arms, p, step.span);
      case 'EventsStep':
        return this.call(
          'events',
          step,
          step.arms,
          p,
          step.changes.filter((c) => c.sign === '-').map((c) => c.event.name),
          step.changes.filter((c) => c.sign === '+').map((c) => c.event.name),
        );
      case 'BarrierStep':
        return this.call('barrier', step, step.arms, p);
      case 'AwaitStep':
        return this.call('await', step, step.arms, p);
      case 'ActionStep':
        if (this.context === 'handler') {
          return [
            w(this.push(p, { kind: 'final', action: step.action, node: step, span: step.span }), { ended: true }),
          ];
        }
        return this.call(step.action, step, step.arms, p);
    }
  }

  ifStep(cond: Expr, then: Block, els: Block | Step | undefined, p: WPath, span: Span): WPath[] {
    const q = this.branch(cond, p, span);
    const out: WPath[] = [];
    for (const t of this.assumeAll(
      q,
      toDnf(cond, (e) => this.names.boolStateOf(e), true),
    )) {
      out.push(...this.block(then, [t]));
    }
    for (const f of this.assumeAll(
      q,
      toDnf(cond, (e) => this.names.boolStateOf(e), false),
    )) {
      if (els === undefined) out.push(f);
      else if (els.kind === 'Block') out.push(...this.block(els, [f]));
      else out.push(...this.step(els, f));
    }
    return this.cap(out);
  }

  valueMatch(subject: Expr, arms: readonly MatchArm[], p: WPath, span: Span): WPath[] {
    const q = this.branch(subject, p, span);
    const flag = this.names.boolStateOf(subject);
    const out: WPath[] = [];
    for (const arm of arms) {
      let starts: WPath[] = [q];
      if (flag !== undefined) {
        const lits = arm.patterns.flatMap((pt) =>
          pt.kind === 'LiteralPattern' && pt.value.kind === 'BoolLit' ? [pt.value.value] : [],
        );
        const wildcard = arm.patterns.some((pt) => pt.kind === 'WildcardPattern');
        if (!wildcard && lits.length === 1) starts = this.assumeAll(q, [new Map([[flag, lits[0] as boolean]])]);
      }
      for (const s of starts) out.push(...this.block(arm.body, [s]));
    }
    return this.cap(out);
  }

  call(
    call: ControlCall,
    node: ActionStep | EventsStep | BarrierStep | AwaitStep,
    arms: readonly MatchArm[] | undefined,
    p: WPath,
    removes: readonly string[] = [],
    adds: readonly string[] = [],
  ): WPath[] {
    const all = CALL_STATUSES[call];
    const flagsTrue = trueFlags(p);
    const bounded = node.kind === 'AwaitStep' && node.within !== undefined;
    let q = p;
    if (node.kind === 'AwaitStep' && node.within) q = this.reads(node.within, q);
    const stoppedBefore = q.stopped;
    const releasing = RELEASING.has(call);
    const after = (statuses: readonly StatusName[], matched: boolean): WPath => {
      // A literal rather than a spread of a shared base: this runs once per call and arm on every path.
      const ev: CallEvent = {
        kind: 'call',
        call,
        node,
        stoppedBefore,
        flagsTrue,
        removes,
        adds,
        bounded,
        statuses,
        matched,
      };
      let stopped = releasing ? false : stoppedBefore;
      if ((call === 'stop' || call === 'await') && matched && statuses.length === 1 && statuses[0] === 'stopped') {
        stopped = true;
      }
      return { assume: q.assume, values: q.values, head: cell(ev, q.head), stopped, ended: q.ended };
    };
    if (arms === undefined || arms.length === 0) return [after(all, false)];
    const out: WPath[] = [];
    const covered = new Set<StatusName>();
    for (const arm of arms) {
      let statuses: StatusName[] = [];
      for (const pt of arm.patterns) {
        if (pt.kind === 'WildcardPattern') statuses.push(...all.filter((s) => !covered.has(s)));
        else if (pt.kind === 'NamePattern' && (all as readonly string[]).includes(pt.name.name)) {
          statuses.push(pt.name.name as StatusName);
        }
      }
      statuses = [...new Set(statuses)].filter((s) => !covered.has(s));
      for (const s of statuses) covered.add(s);
      if (statuses.length === 0) continue;
      out.push(...this.block(arm.body, [after(statuses, true)]));
    }
    return this.cap(out);
  }

  branch(cond: Expr, p: WPath, span: Span): WPath {
    let q = this.reads(cond, p);
    // The state the condition reads is what `reads` just pushed: taken from the trace, not a second walk.
    const reads: NameExpr[] = [];
    for (let c = q.head; c !== undefined && c !== p.head; c = c.prev) if (c.ev.kind === 'read') reads.push(c.ev.node);
    reads.reverse();
    if (reads.length > 0) {
      q = this.push(q, { kind: 'branch', span, reads, assumed: new Map(), stopped: q.stopped });
    }
    return q;
  }

  /** Splits a path by a condition, dropping the terms that contradict what the path knows. */
  assumeAll(p: WPath, cond: Dnf): WPath[] {
    const out: WPath[] = [];
    for (const term of cond) {
      // Copied only when the term adds an assumption: opaque conditions (`call.ret > 0`) add none.
      let assume: ReadonlyMap<string, boolean> = p.assume;
      let copy: Map<string, boolean> | undefined;
      let ok = true;
      for (const [name, v] of term) {
        if (p.values.has(name)) {
          const known = p.values.get(name);
          if (known !== null && known !== v) ok = false;
        } else {
          const prior = assume.get(name);
          if (prior !== undefined && prior !== v) ok = false;
          else if (prior === undefined) {
            copy ??= new Map(p.assume);
            copy.set(name, v);
            assume = copy;
          }
        }
        if (!ok) break;
      }
      if (!ok) continue;
      // Record on the latest branch event what it assumed, for check-then-act.
      const last = p.head?.ev;
      const head =
        last?.kind === 'branch'
          ? {
              ev: { kind: 'branch' as const, span: last.span, reads: last.reads, assumed: term, stopped: last.stopped },
              prev: p.head?.prev,
            }
          : p.head;
      out.push(w(p, { assume, head }));
    }
    return out;
  }

  reads(expr: Expr, p: WPath): WPath {
    let q = p;
    visitExpr(expr, (e) => {
      if (e.kind === 'NameExpr') {
        const s = this.names.stateOf(e);
        if (s !== undefined) q = this.push(q, { kind: 'read', state: s, node: e, stopped: q.stopped });
      } else if (e.kind === 'CallExpr' && e.callee.name === 'path') {
        q = this.push(q, { kind: 'examine', span: e.span, stopped: q.stopped, ...released(q) });
      }
    });
    return q;
  }

  /** Records a write to the state at the root of a place (`x`, `m[k]`, `r.f`); `alsoReads`: `+=`, `append`. */
  write(target: Expr, step: Step, value: boolean | null, p: WPath, alsoReads: boolean): WPath {
    let q = p;
    let root: Expr = target;
    while (root.kind === 'IndexExpr' || root.kind === 'FieldExpr') {
      if (root.kind === 'IndexExpr') q = this.reads(root.index, q);
      root = root.object;
    }
    if (root.kind !== 'NameExpr') return q;
    const s = this.names.stateOf(root);
    if (s === undefined) return q;
    if (alsoReads) q = this.push(q, { kind: 'read', state: s, node: root, stopped: q.stopped });
    const whole = root === target;
    const v = whole ? value : null;
    // Paths treat `values` as immutable, so a write that changes nothing (a counter bumped again) shares it.
    let values = q.values;
    if (!values.has(s) || values.get(s) !== v) {
      const m = new Map(values);
      m.set(s, v);
      values = m;
    }
    return w(this.push(q, { kind: 'write', state: s, node: root, step, value: v, stopped: q.stopped }), { values });
  }

  push(p: WPath, ev: PathEvent): WPath {
    return { assume: p.assume, values: p.values, head: cell(ev, p.head), stopped: p.stopped, ended: p.ended };
  }
}

function released(p: WPath): { releasedBy?: CallEvent } {
  if (p.stopped) return {};
  for (let c = p.head; c !== undefined; c = c.prev) {
    const ev = c.ev;
    if (ev.kind !== 'call') continue;
    if (RELEASING.has(ev.call) && ev.stoppedBefore) return { releasedBy: ev };
  }
  return {};
}

/** Boolean state known to be true on a path: written true, or assumed true and not written since. */
export function trueFlags(p: Pick<Path, 'assume' | 'values'>): string[] {
  const out: string[] = [];
  for (const [k, v] of p.values) if (v === true) out.push(k);
  for (const [k, v] of p.assume) if (v && !p.values.has(k)) out.push(k);
  return out;
}

/** Calls `f` on every sub-expression, including interpolations inside strings. */
export function visitExpr(expr: Expr, f: (e: Expr) => void): void {
  f(expr);
  switch (expr.kind) {
    case 'StringLit':
      for (const part of expr.parts) if (typeof part !== 'string') visitExpr(part, f);
      return;
    case 'FieldExpr':
      visitExpr(expr.object, f);
      return;
    case 'IndexExpr':
      visitExpr(expr.object, f);
      visitExpr(expr.index, f);
      return;
    case 'UnaryExpr':
      visitExpr(expr.operand, f);
      return;
    case 'BinaryExpr':
      visitExpr(expr.left, f);
      visitExpr(expr.right, f);
      return;
    case 'InExpr':
      visitExpr(expr.value, f);
      for (const e of expr.set) visitExpr(e, f);
      return;
    case 'CallExpr':
      for (const a of expr.args) visitExpr(a, f);
      return;
    default:
      return;
  }
}
