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
import { STATUS_NAMES } from '../types.js';
import { CALL_STATUSES } from '../events.js';
import type { Dnf, Term } from './conditions.js';
import { Literals, toDnf } from './conditions.js';

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

/**
 * A path while it is walked. The walker owns each one: a step that does not split the path appends to its trace in
 * place, and only a split copies it (once per extra branch), so the cost is one object per event plus one trace copy
 * per fork. When the walk is over the same objects are the `Path`s of the result.
 */
interface WPath {
  assume: Term;
  values: ReadonlyMap<string, boolean | null>;
  trace: PathEvent[];
  stopped: boolean;
  ended: boolean;
}

/** Boolean state a path has not written yet: shared, since a write copies the map before changing it. */
const NO_VALUES: ReadonlyMap<string, boolean | null> = new Map();
/** An empty list, shared by the many events with nothing to list (no flag known true, no event removed). */
const NONE: readonly string[] = [];

function fork(p: WPath): WPath {
  return { assume: p.assume, values: p.values, trace: p.trace.slice(), stopped: p.stopped, ended: p.ended };
}

/**
 * Walks a body in handler or control context, starting from paths that satisfy `entry`. `literals` shares the
 * one-literal conditions between the bodies of one engine (a fresh set when absent).
 */
export function walkBody(
  body: Block,
  context: 'handler' | 'control',
  entry: Dnf,
  names: NameResolver,
  literals: Literals = new Literals(),
): WalkResult {
  return walk(body, context, entry, names, literals);
}

/**
 * Walks a timer's body: its guard is a decision on state taken on the debugger side, like an `if` around the body,
 * so when the guard reads state each path starts with that branch (assuming what the whole path assumes).
 */
export function walkGuardedBody(
  body: Block,
  guard: Expr,
  entry: Dnf,
  names: NameResolver,
  literals: Literals = new Literals(),
): WalkResult {
  const r = walk(body, 'control', entry, names, literals);
  const reads = readsOf(guard, names);
  if (reads.length > 0) {
    for (const p of r.paths) {
      p.trace.unshift({ kind: 'branch', span: guard.span, reads, assumed: p.assume, stopped: false });
    }
  }
  return r;
}

function walk(
  body: Block,
  context: 'handler' | 'control',
  entry: Dnf,
  names: NameResolver,
  literals: Literals,
): { paths: WPath[]; truncated: boolean } {
  const w = new Walker(context, names, literals);
  const start: WPath[] = [];
  for (const term of entry) start.push({ assume: term, values: NO_VALUES, trace: [], stopped: false, ended: false });
  const paths = w.block(body, start);
  // Traces grew by `push`, which leaves spare room (16 slots past the first push); the model lives as long as the
  // diagnostics are being made, so exact copies keep it, and what the garbage collector moves, small.
  for (const p of paths) p.trace = p.trace.slice();
  return { paths, truncated: w.truncated };
}

/** Walks an expression evaluated at the start of a body (a timer guard) and returns its reads. */
function readsOf(expr: Expr, names: NameResolver): NameExpr[] {
  const out: NameExpr[] = [];
  visitExpr(expr, (e) => {
    if (e.kind === 'NameExpr' && names.stateOf(e) !== undefined) out.push(e);
  });
  return out;
}

/** A one-status list per status, shared by the call events of arms that match just that status. */
const ONE_STATUS = Object.fromEntries(STATUS_NAMES.map((s) => [s, [s]])) as unknown as Readonly<
  Record<StatusName, readonly StatusName[]>
>;

/** The statuses with which one arm of a result match goes on (none: it matches nothing not matched before). */
type ArmStatuses = readonly StatusName[] | undefined;

class Walker {
  truncated = false;
  readonly #boolState: (e: Expr) => string | undefined;

  constructor(
    readonly context: 'handler' | 'control',
    readonly names: NameResolver,
    readonly literals: Literals,
  ) {
    this.#boolState = (e) => names.boolStateOf(e);
  }

  block(block: Block, paths: WPath[]): WPath[] {
    let live = paths;
    for (const step of block.steps) {
      if (this.#linear(step)) {
        // One path in, the same path out: extended in place, no new list.
        for (const p of live) if (!p.ended) this.step(step, p);
        continue;
      }
      const next: WPath[] = [];
      for (const p of live) {
        if (p.ended) next.push(p);
        else this.split(step, p, next);
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

  /** Whether a step never splits a path (so `step` handles it). */
  #linear(step: Step): boolean {
    switch (step.kind) {
      case 'IfStep':
      case 'MatchStep':
      case 'EventsStep':
      case 'BarrierStep':
      case 'AwaitStep':
        return false;
      case 'ActionStep':
        return this.context === 'handler';
      default:
        return true;
    }
  }

  /** Walks a step that never splits a path, extending `p` in place. */
  step(step: Step, p: WPath): void {
    switch (step.kind) {
      case 'FetchStep': {
        if (step.addr) this.reads(step.addr, p);
        if (step.len) this.reads(step.len, p);
        this.examine(step.span, step, p);
        if (step.into) this.write(step.into, step, null, p, true);
        return;
      }
      case 'SetStep': {
        this.reads(step.value, p);
        this.write(step.target, step, step.value.kind === 'BoolLit' ? step.value.value : null, p, false);
        return;
      }
      case 'UpdateStep':
      case 'AppendStep':
        this.reads(step.value, p);
        this.write(step.target, step, null, p, true);
        return;
      case 'EmitStep':
        this.reads(step.value, p);
        return;
      case 'AttachStep':
        this.reads(step.task, p);
        p.trace.push({ kind: 'attach', node: step });
        return;
      case 'AbortStep':
        p.trace.push({ kind: 'abort', span: step.span });
        return;
      case 'AssertStep':
        this.reads(step.cond, p);
        return;
      case 'FateStep':
        p.trace.push({ kind: 'fate', fate: step.fate, node: step });
        return;
      case 'ActionStep':
        // Only in a handler: the resume action ends the path.
        p.trace.push({ kind: 'final', action: step.action, node: step, span: step.span });
        p.ended = true;
        return;
      default:
        return;
    }
  }

  /** Walks a step that may split `p` (which it consumes), adding the paths that come out of it to `out`. */
  split(step: Step, p: WPath, out: WPath[]): void {
    switch (step.kind) {
      case 'IfStep':
        this.ifStep(step.cond, step.then, step.else, p, step.span, out);
        return;
      case 'MatchStep':
        this.valueMatch(step.subject, step.arms, p, step.span, out);
        return;
      case 'EventsStep': {
        const removes: string[] = [];
        const adds: string[] = [];
        for (const c of step.changes) (c.sign === '-' ? removes : adds).push(c.event.name);
        this.call('events', step, step.arms, p, out, removes, adds);
        return;
      }
      case 'BarrierStep':
        this.call('barrier', step, step.arms, p, out);
        return;
      case 'AwaitStep':
        this.call('await', step, step.arms, p, out);
        return;
      case 'ActionStep':
        if (this.context === 'control') {
          this.call(step.action, step, step.arms, p, out);
          return;
        }
        break;
      default:
        break;
    }
    this.step(step, p);
    out.push(p);
  }

  ifStep(cond: Expr, then: Block, els: Block | Step | undefined, p: WPath, span: Span, out: WPath[]): void {
    this.branch(cond, p, span);
    // Every start is worked out before any is walked: the last one takes `p` itself, the others copy it.
    const yes = this.starts(p, toDnf(cond, this.#boolState, true, this.literals));
    const no = this.starts(p, toDnf(cond, this.#boolState, false, this.literals));
    const total = yes.length + no.length;
    const here = out.length;
    let n = 0;
    for (const s of yes) {
      const t = this.assumed(p, s, ++n === total);
      for (const q of this.block(then, [t])) out.push(q);
    }
    for (const s of no) {
      const f = this.assumed(p, s, ++n === total);
      if (els === undefined) out.push(f);
      else if (els.kind === 'Block') for (const q of this.block(els, [f])) out.push(q);
      else this.split(els, f, out);
    }
    this.capFrom(out, here);
  }

  valueMatch(subject: Expr, arms: readonly MatchArm[], p: WPath, span: Span, out: WPath[]): void {
    this.branch(subject, p, span);
    const flag = this.names.boolStateOf(subject);
    // Per arm: how it starts (`null`: as the subject left the path, no new assumption) or that it cannot run.
    const starts: (Start | null | undefined)[] = [];
    let last = -1;
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i] as MatchArm;
      let start: Start | null | undefined = null;
      if (flag !== undefined) {
        let lit: boolean | undefined;
        let lits = 0;
        let wildcard = false;
        for (const pt of arm.patterns) {
          if (pt.kind === 'WildcardPattern') wildcard = true;
          else if (pt.kind === 'LiteralPattern' && pt.value.kind === 'BoolLit') {
            lits++;
            lit = pt.value.value;
          }
        }
        if (!wildcard && lits === 1) start = this.starts(p, this.literals.of(flag, lit as boolean))[0];
      }
      starts.push(start);
      if (start !== undefined) last = i;
    }
    const here = out.length;
    for (let i = 0; i < arms.length; i++) {
      const start = starts[i];
      if (start === undefined) continue;
      const reuse = i === last;
      const s = start === null ? (reuse ? p : fork(p)) : this.assumed(p, start, reuse);
      for (const q of this.block((arms[i] as MatchArm).body, [s])) out.push(q);
    }
    this.capFrom(out, here);
  }

  call(
    call: ControlCall,
    node: ActionStep | EventsStep | BarrierStep | AwaitStep,
    arms: readonly MatchArm[] | undefined,
    p: WPath,
    out: WPath[],
    removes: readonly string[] = NONE,
    adds: readonly string[] = NONE,
  ): void {
    const all = CALL_STATUSES[call];
    const flagsTrue = anyFlagTrue(p) ? trueFlags(p) : NONE;
    const bounded = node.kind === 'AwaitStep' && node.within !== undefined;
    if (node.kind === 'AwaitStep' && node.within) this.reads(node.within, p);
    const stoppedBefore = p.stopped;
    const releasing = RELEASING.has(call);
    if (arms === undefined || arms.length === 0) {
      this.#callEvent(p, call, node, stoppedBefore, flagsTrue, removes, adds, bounded, all, false, releasing);
      out.push(p);
      return;
    }
    // Each arm goes on with the statuses it names that no earlier arm took (a wildcard takes all the rest).
    const per: ArmStatuses[] = [];
    const covered: StatusName[] = [];
    let last = -1;
    for (let i = 0; i < arms.length; i++) {
      const patterns = (arms[i] as MatchArm).patterns;
      const only = patterns.length === 1 ? patterns[0] : undefined;
      if (only?.kind === 'NamePattern') {
        // The usual arm (`stopped => …`): one status, whose list is shared by every call event that goes on with it.
        const s = only.name.name as StatusName;
        const ok = all.includes(s) && !covered.includes(s);
        if (ok) {
          covered.push(s);
          last = i;
        }
        per.push(ok ? ONE_STATUS[s] : undefined);
        continue;
      }
      const statuses: StatusName[] = [];
      for (const pt of patterns) {
        if (pt.kind === 'WildcardPattern') {
          for (const s of all) if (!covered.includes(s) && !statuses.includes(s)) statuses.push(s);
        } else if (pt.kind === 'NamePattern') {
          const s = pt.name.name as StatusName;
          if (all.includes(s) && !covered.includes(s) && !statuses.includes(s)) statuses.push(s);
        }
      }
      for (const s of statuses) covered.push(s);
      if (statuses.length > 0) last = i;
      per.push(statuses.length > 0 ? statuses : undefined);
    }
    const here = out.length;
    for (let i = 0; i < arms.length; i++) {
      const statuses = per[i];
      if (statuses === undefined) continue;
      const q = i === last ? p : fork(p);
      this.#callEvent(q, call, node, stoppedBefore, flagsTrue, removes, adds, bounded, statuses, true, releasing);
      for (const r of this.block((arms[i] as MatchArm).body, [q])) out.push(r);
    }
    this.capFrom(out, here);
  }

  /** Appends a call event to `q` and sets what the path then knows about the stop. */
  #callEvent(
    q: WPath,
    call: ControlCall,
    node: ActionStep | EventsStep | BarrierStep | AwaitStep,
    stoppedBefore: boolean,
    flagsTrue: readonly string[],
    removes: readonly string[],
    adds: readonly string[],
    bounded: boolean,
    statuses: readonly StatusName[],
    matched: boolean,
    releasing: boolean,
  ): void {
    // A literal of one shape: this runs once per call and arm on every path.
    q.trace.push({
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
    });
    let stopped = releasing ? false : stoppedBefore;
    if ((call === 'stop' || call === 'await') && matched && statuses.length === 1 && statuses[0] === 'stopped') {
      stopped = true;
    }
    q.stopped = stopped;
  }

  /**
   * Keeps the paths a split added to `out` (from `from` on) under the cap, as a split's own list of paths was.
   * The block that collects them caps the whole list again.
   */
  capFrom(out: WPath[], from: number): void {
    if (out.length - from <= MAX_PATHS) return;
    this.truncated = true;
    out.length = from + MAX_PATHS;
  }

  /** Records the state a condition reads and, when it reads any, a branch event on that state. */
  branch(cond: Expr, p: WPath, span: Span): void {
    const from = p.trace.length;
    this.reads(cond, p);
    // The state the condition reads is what `reads` just pushed: taken from the trace, not a second walk.
    const reads: NameExpr[] = [];
    for (let i = from; i < p.trace.length; i++) {
      const ev = p.trace[i] as PathEvent;
      if (ev.kind === 'read') reads.push(ev.node);
    }
    if (reads.length > 0) p.trace.push({ kind: 'branch', span, reads, assumed: EMPTY_TERM, stopped: p.stopped });
  }

  /** For each term of `cond` that does not contradict what `p` knows: the term and the assumptions it leads to. */
  starts(p: WPath, cond: Dnf): Start[] {
    const out: Start[] = [];
    for (const term of cond) {
      let ok = true;
      let adds = 0;
      for (const [name, v] of term) {
        if (p.values.has(name)) {
          const known = p.values.get(name);
          if (known !== null && known !== v) ok = false;
        } else {
          const prior = p.assume.get(name);
          if (prior === undefined) adds++;
          else if (prior !== v) ok = false;
        }
        if (!ok) break;
      }
      if (!ok) continue;
      // Copied only when the term adds an assumption: opaque conditions (`call.ret > 0`) add none. A path that
      // assumed nothing yet and takes all of a term assumes the term itself (terms are never changed).
      let assume = p.assume;
      if (adds > 0) {
        if (p.assume.size === 0 && adds === term.size) assume = term;
        else {
          const copy = new Map(p.assume);
          for (const [name, v] of term) if (!p.values.has(name) && !copy.has(name)) copy.set(name, v);
          assume = copy;
        }
      }
      out.push({ term, assume });
    }
    return out;
  }

  /** The path that goes on from `p` under a start: `p` itself when `reuse`, else a copy. */
  assumed(p: WPath, start: Start, reuse: boolean): WPath {
    const q = reuse ? p : fork(p);
    q.assume = start.assume;
    // Record on the latest branch event what it assumed, for check-then-act.
    const i = q.trace.length - 1;
    const last = q.trace[i];
    if (last?.kind === 'branch') {
      q.trace[i] = { kind: 'branch', span: last.span, reads: last.reads, assumed: start.term, stopped: last.stopped };
    }
    return q;
  }

  /** Records the state an expression reads (and any `path()` examining the task), in evaluation order. */
  reads(expr: Expr, p: WPath): void {
    switch (expr.kind) {
      case 'NameExpr': {
        const s = this.names.stateOf(expr);
        if (s !== undefined) p.trace.push({ kind: 'read', state: s, node: expr, stopped: p.stopped });
        return;
      }
      case 'CallExpr':
        if (expr.callee.name === 'path') this.examine(expr.span, undefined, p);
        for (const a of expr.args) this.reads(a, p);
        return;
      case 'StringLit':
        for (const part of expr.parts) if (typeof part !== 'string') this.reads(part, p);
        return;
      case 'FieldExpr':
        this.reads(expr.object, p);
        return;
      case 'IndexExpr':
        this.reads(expr.object, p);
        this.reads(expr.index, p);
        return;
      case 'UnaryExpr':
        this.reads(expr.operand, p);
        return;
      case 'BinaryExpr':
        this.reads(expr.left, p);
        this.reads(expr.right, p);
        return;
      case 'InExpr':
        this.reads(expr.value, p);
        for (const e of expr.set) this.reads(e, p);
        return;
      default:
        return;
    }
  }

  examine(span: Span, step: Step | undefined, p: WPath): void {
    const releasedBy = released(p);
    const stopped = p.stopped;
    let ev: ExamineEvent;
    if (step === undefined) {
      ev = releasedBy ? { kind: 'examine', span, stopped, releasedBy } : { kind: 'examine', span, stopped };
    } else {
      ev = releasedBy ? { kind: 'examine', span, step, stopped, releasedBy } : { kind: 'examine', span, step, stopped };
    }
    p.trace.push(ev);
  }

  /** Records a write to the state at the root of a place (`x`, `m[k]`, `r.f`); `alsoReads`: `+=`, `append`. */
  write(target: Expr, step: Step, value: boolean | null, p: WPath, alsoReads: boolean): void {
    let root: Expr = target;
    while (root.kind === 'IndexExpr' || root.kind === 'FieldExpr') {
      if (root.kind === 'IndexExpr') this.reads(root.index, p);
      root = root.object;
    }
    if (root.kind !== 'NameExpr') return;
    const s = this.names.stateOf(root);
    if (s === undefined) return;
    if (alsoReads) p.trace.push({ kind: 'read', state: s, node: root, stopped: p.stopped });
    const v = root === target ? value : null;
    // Only boolean state goes into `values` (conditions and flags are about nothing else), and paths treat the map
    // as immutable, so a write that changes nothing (a flag set again) shares it.
    const values = p.values;
    if ((!values.has(s) || values.get(s) !== v) && this.names.boolStateOf(root) !== undefined) {
      const m = new Map(values);
      m.set(s, v);
      p.values = m;
    }
    p.trace.push({ kind: 'write', state: s, node: root, step, value: v, stopped: p.stopped });
  }
}

/** A term of a condition that a path can take, and the assumptions the path has under it. */
interface Start {
  readonly term: Term;
  readonly assume: Term;
}

/** The `assumed` of a branch event before a term is chosen (replaced as soon as one is). */
const EMPTY_TERM: Term = new Map();

/** The call that last released a confirmed stop on the path, if the task is not known stopped now. */
function released(p: WPath): CallEvent | undefined {
  if (p.stopped) return undefined;
  for (let i = p.trace.length - 1; i >= 0; i--) {
    const ev = p.trace[i] as PathEvent;
    if (ev.kind !== 'call') continue;
    if (RELEASING.has(ev.call) && ev.stoppedBefore) return ev;
  }
  return undefined;
}

/** Whether `trueFlags(p)` has any flag (most calls have none: no list to build). */
function anyFlagTrue(p: WPath): boolean {
  if (p.values.size === 0 && p.assume.size === 0) return false;
  for (const v of p.values.values()) if (v === true) return true;
  for (const [k, v] of p.assume) if (v && !p.values.has(k)) return true;
  return false;
}

/** Boolean state known to be true on a path: written true, or assumed true and not written since. */
export function trueFlags(p: Pick<Path, 'assume' | 'values'>): string[] {
  const out: string[] = [];
  for (const [k, v] of p.values) if (v === true) out.push(k);
  for (const [k, v] of p.assume) if (v && !p.values.has(k)) out.push(k);
  return out;
}

/** Calls `f` on every sub-expression, including interpolations inside strings. */
function visitExpr(expr: Expr, f: (e: Expr) => void): void {
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
