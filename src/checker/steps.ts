/**
 * Checks steps: what each step may do in its context (handler or control), the types of its parts, and the
 * flow-sensitive facts (task known stopped, `regs` fetched, handler path ended) carried along `then`, `if` and
 * `match`. One walk over each member's code; branches copy the (three-field) flow, so it stays linear.
 */
import type { Span } from '../diagnostics/source.js';
import type {
  ActionStep,
  AwaitStep,
  Block,
  EmitStep,
  Expr,
  FetchStep,
  IfStep,
  MatchArm,
  MatchStep,
  NameExpr,
  Step,
} from '../parser/ast.js';
import type { CheckContext } from './context.js';
import { symbolType } from './context.js';
import { SEM } from './diagnostics.js';
import { CALL_STATUSES, LEGAL_ACTIONS, UTRACE_EVENTS } from './events.js';
import { examineAfterExit, examineDiagnostic, ExprChecker, NO_OPTIONS, PREFER_EVENT } from './expressions.js';
import { constantNanos } from './constants.js';
import type { Flow, Scope } from './scope.js';
import { flowOf, mergeFlows, withStopped } from './scope.js';
import { suggest } from './suggest.js';
import type { NameSymbol, StatusSymbol } from './program.js';
import type { ControlCall, StatusName, Type } from './types.js';
import {
  isAggregation,
  isAssignable,
  isEquatable,
  isIntLike,
  isNumeric,
  isPrintable,
  STATUS_NAMES,
  T,
  typeToString,
} from './types.js';

const STATUS_SET: ReadonlySet<string> = new Set<string>(STATUS_NAMES);
/** The symbol of each status in a result pattern: the same object for every pattern naming it. */
const STATUS_SYMBOLS = Object.fromEntries(
  STATUS_NAMES.map((name) => [name, Object.freeze({ kind: 'status', name })]),
) as Readonly<Record<StatusName, StatusSymbol>>;
const NO_STATUSES: readonly StatusName[] = [];
const UTRACE_EVENT_SET: ReadonlySet<string> = new Set<string>(UTRACE_EVENTS);
/** Control calls after which the task is running again (a resume of any kind, or detach). */
const RELEASING_CALLS: ReadonlySet<string> = new Set([
  'resume',
  'report',
  'interrupt',
  'singlestep',
  'blockstep',
  'detach',
]);

/** Checks the steps of one member. */
export class StepChecker {
  readonly #exprs: ExprChecker;

  constructor(private readonly cx: CheckContext) {
    this.#exprs = new ExprChecker(cx);
  }

  /** The expression checker this step checker uses (guards, periods and initialisers go through it too). */
  get exprs(): ExprChecker {
    return this.#exprs;
  }

  /** Checks a block from `flow`; returns the flow at its end. */
  block(block: Block, scope: Scope, flow: Flow): Flow {
    let f = flow;
    const steps = block.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      if (f.ended) {
        this.#unreachable(steps, i);
        // Still check the dead steps, so their own mistakes are reported once.
        let dead: Flow = flowOf(f.stopped, f.regs, false);
        for (let j = i; j < steps.length; j++) {
          dead = this.step(steps[j] as Step, scope, flowOf(dead.stopped, dead.regs, false));
        }
        return f;
      }
      f = this.step(step, scope, f);
    }
    return f;
  }

  #unreachable(steps: readonly Step[], i: number): void {
    const first = steps[i] as Step;
    const prev = steps[i - 1] as Step;
    const last = steps[steps.length - 1] as Step;
    this.cx.report(SEM.unreachableStep, {
      span: { start: first.span.start, end: last.span.end },
      message:
        prev.kind === 'ActionStep'
          ? `this step never runs: the handler has already returned \`${prev.action}\``
          : 'this step never runs: every branch before it returns a resume action',
      label: 'unreachable',
      related: [
        {
          span: prev.span,
          message: prev.kind === 'ActionStep' ? 'the path returns here' : 'every path through this returns',
        },
      ],
      notes: ["in a handler, a resume action is the callback's return value: it ends the path"],
      help: 'move the step before the resume action, or remove it',
    });
  }

  /** Checks one step. */
  step(step: Step, scope: Scope, flow: Flow): Flow {
    const x = this.#exprs;
    switch (step.kind) {
      case 'FetchStep':
        return this.#fetch(step, scope, flow);
      case 'SetStep': {
        // The value is typed first, so the state uses list its reads before the write, in execution order.
        const value = x.check(step.value, scope, flow);
        const target = this.#place(step.target, scope, flow, 'set');
        if (target.kind === 'error') return flow;
        if (isAggregation(target)) {
          this.cx.report(SEM.invalidUpdate, {
            span: step.target.span,
            message: `cannot \`set\` a \`${typeToString(target)}\``,
            label: 'aggregations only accumulate',
            help: target.kind === 'hist' ? 'record a sample with `append V to h`' : 'add to it with `+=` or `-=`',
          });
        } else if (!isAssignable(value, target)) {
          this.#mismatch(step.value.span, `the value of \`${this.cx.text(step.target.span)}\``, target, value);
        }
        return flow;
      }
      case 'UpdateStep': {
        const value = x.check(step.value, scope, flow);
        const target = this.#place(step.target, scope, flow, step.op);
        if (target.kind === 'error') return flow;
        if (isIntLike(target)) {
          if (!isIntLike(value) && value.kind !== 'error')
            this.#mismatch(step.value.span, `\`${step.op}\``, T.int, value);
        } else if (target.kind === 'duration') {
          if (value.kind !== 'duration' && value.kind !== 'error') {
            this.#mismatch(step.value.span, `\`${step.op}\` on a duration`, T.duration, value);
          }
        } else {
          this.cx.report(SEM.invalidUpdate, {
            span: step.target.span,
            message: `\`${step.op}\` needs an \`int\`, \`count\`, \`sum\` or \`duration\`, found \`${typeToString(target)}\``,
            label: `this is \`${typeToString(target)}\``,
            ...(target.kind === 'hist'
              ? { help: 'record a sample with `append V to h`' }
              : target.kind === 'list'
                ? { help: 'add an element with `append V to xs`' }
                : {}),
          });
        }
        return flow;
      }
      case 'AppendStep': {
        const value = x.check(step.value, scope, flow);
        const target = this.#place(step.target, scope, flow, 'append');
        if (target.kind === 'error' || value.kind === 'error') return flow;
        if (target.kind === 'list') {
          if (!isAssignable(value, target.element)) {
            this.cx.report(SEM.invalidAppend, {
              span: step.value.span,
              message: `cannot append \`${typeToString(value)}\` to \`${typeToString(target)}\``,
              label: `expected \`${typeToString(target.element)}\``,
            });
          }
        } else if (target.kind === 'hist') {
          if (!isIntLike(value)) {
            this.cx.report(SEM.invalidAppend, {
              span: step.value.span,
              message: `a \`hist\` records integers, found \`${typeToString(value)}\``,
              label: 'expected `int`',
            });
          }
        } else {
          this.cx.report(SEM.invalidAppend, {
            span: step.target.span,
            message: `cannot append to \`${typeToString(target)}\``,
            label: 'not a `list` or `hist`',
            ...(isIntLike(target) ? { help: 'to add to a number, use `+=`' } : {}),
          });
        }
        return flow;
      }
      case 'EmitStep':
        this.#emit(step, scope, flow);
        return flow;
      case 'AttachStep': {
        const engine = scope.engines.get(step.engine.name);
        if (!engine) {
          const best = suggest(step.engine.name, scope.engines.keys());
          this.cx.report(SEM.unknownEngine, {
            span: step.engine.span,
            message: `cannot find engine \`${step.engine.name}\` in this file`,
            label: best ? `did you mean \`${best}\`?` : 'no such engine',
            ...(best
              ? {
                  fix: {
                    title: `use \`${best}\``,
                    applicability: 'safe' as const,
                    edits: [{ span: step.engine.span, newText: best }],
                  },
                }
              : { help: 'declare it with `engine NAME { … }` in this file' }),
          });
        }
        x.expect(step.task, T.task, scope, flow, '`attach … to` target');
        return flow;
      }
      case 'EventsStep': {
        for (const change of step.changes) {
          const name = change.event.name;
          if (UTRACE_EVENT_SET.has(name)) continue;
          const best = suggest(name, UTRACE_EVENTS);
          this.cx.report(SEM.unknownEvent, {
            span: change.event.span,
            message:
              name === 'attach' || name === 'detach'
                ? `\`${name}\` is not a utrace event and cannot be switched on or off`
                : `unknown event \`${name}\``,
            label: best ? `did you mean \`${best}\`?` : 'not a utrace event',
            ...(best
              ? {
                  fix: {
                    title: `use \`${best}\``,
                    applicability: 'safe' as const,
                    edits: [{ span: change.event.span, newText: best }],
                  },
                }
              : { notes: [`the events are ${UTRACE_EVENTS.map((e) => `\`${e}\``).join(', ')}`] }),
          });
        }
        if (scope.context === 'handler') {
          if (step.arms) this.#armsInHandler(step.span, step.arms, 'events', scope, flow);
          return flow;
        }
        return step.arms ? this.#statusArms('events', step.span, 'events'.length, step.arms, scope, flow, false) : flow;
      }
      case 'BarrierStep':
        if (scope.context === 'handler') {
          this.cx.report(SEM.controlStepInHandler, {
            span: step.span,
            message: '`barrier` in a handler waits for the handler itself',
            label: 'control-side only',
            notes: ['`barrier` (utrace_barrier) waits until no callback of this engine is running; a handler is one'],
            help: 'call `barrier` from control code',
          });
          return flow;
        }
        return step.arms
          ? this.#statusArms('barrier', step.span, 'barrier'.length, step.arms, scope, flow, false)
          : flow;
      case 'NothingStep':
        return flow;
      case 'IfStep':
        return this.#if(step, scope, flow);
      case 'MatchStep':
        return this.#match(step, scope, flow);
      case 'ActionStep':
        return this.#action(step, scope, flow);
      case 'AwaitStep':
        return this.#await(step, scope, flow);
      case 'AbortStep':
        if (scope.context !== 'handler' || scope.event !== 'syscall_entry') {
          this.cx.report(SEM.abortOutsideSyscallEntry, {
            span: step.span,
            message: `\`abort\` is only allowed in \`on syscall_entry\`, not in ${whereCode(scope)}`,
            label: 'only a `syscall_entry` handler can abort the call',
            notes: ['utrace can skip a system call only from report_syscall_entry, before the kernel runs it'],
          });
        }
        return flow;
      case 'FateStep':
        if (scope.context !== 'handler' || scope.event !== 'signal') {
          this.cx.report(SEM.fateOutsideSignal, {
            span: step.span,
            message: `\`fate\` is only allowed in \`on signal\`, not in ${whereCode(scope)}`,
            label: 'only a `signal` handler decides what happens to the signal',
            notes: ["the signal action is part of report_signal's return value; no other callback has a signal"],
          });
        }
        return flow;
      case 'AssertStep':
        x.expect(step.cond, T.bool, scope, flow, 'an `assert` condition');
        if (step.message) x.check(step.message, scope, flow);
        return flow;
    }
  }

  #fetch(step: FetchStep, scope: Scope, flow: Flow): Flow {
    const x = this.#exprs;
    const gone = examineAfterExit(scope, step.what, step.span, `\`fetch ${step.what}\``);
    if (gone) this.cx.report(SEM.examineAfterExit, gone);
    if (scope.context === 'control' && !flow.stopped) {
      this.cx.report(
        SEM.examineWhileRunning,
        examineDiagnostic(
          step.span,
          step.what === 'regs' ? '`fetch regs` reads the registers' : '`fetch mem` reads memory',
        ),
      );
    }
    if (step.what === 'mem') {
      if (step.addr) x.expect(step.addr, T.int, scope, flow, 'a memory address');
      if (step.len) x.expect(step.len, T.int, scope, flow, 'a memory length');
    }
    if (step.into) {
      const target = this.#place(step.into, scope, flow, 'fetch');
      const want: Type = step.what === 'regs' ? T.regs : T.bytes;
      if (
        target.kind !== 'error' &&
        !(isAssignable(want, target) || (target.kind === 'list' && isAssignable(want, target.element)))
      ) {
        this.cx.report(SEM.typeMismatch, {
          span: step.into.span,
          message: `\`fetch ${step.what}\` stores \`${want.kind}\`, but \`${this.cx.text(step.into.span)}\` is \`${typeToString(target)}\``,
          label: `expected \`${want.kind}\` or \`list<${want.kind}>\``,
        });
      }
    }
    return step.what === 'regs' ? flowOf(flow.stopped, true, flow.ended) : flow;
  }

  #emit(step: EmitStep, scope: Scope, flow: Flow): void {
    const v = step.value;
    const t = this.#exprs.check(v, scope, flow, { allowTable: v.kind === 'CallExpr' && v.callee.name === 'table' });
    if (t.kind === 'string' || t.kind === 'table' || t.kind === 'error') return;
    const printable = isPrintable(t);
    this.cx.report(SEM.emitNotString, {
      span: v.span,
      message: `\`emit\` takes a string or \`table(map)\`, found \`${typeToString(t)}\``,
      label: `this is \`${typeToString(t)}\``,
      ...(t.kind === 'map'
        ? {
            help: 'emit the map as a table',
            fix: {
              title: 'wrap in `table(…)`',
              applicability: 'safe' as const,
              edits: [{ span: v.span, newText: `table(${this.cx.text(v.span)})` }],
            },
          }
        : printable
          ? {
              help: 'interpolate it into a string',
              fix: {
                title: 'interpolate into a string',
                applicability: 'safe' as const,
                edits: [{ span: v.span, newText: `"{${this.cx.text(v.span)}}"` }],
              },
            }
          : {}),
    });
  }

  #if(step: IfStep, scope: Scope, flow: Flow): Flow {
    this.#exprs.expect(step.cond, T.bool, scope, flow, 'an `if` condition');
    const thenFlow = this.block(step.then, scope, flow);
    const elseFlow =
      step.else === undefined
        ? flow
        : step.else.kind === 'IfStep'
          ? this.#if(step.else, scope, flow)
          : this.block(step.else, scope, flow);
    return mergeFlows(thenFlow, elseFlow);
  }

  #match(step: MatchStep, scope: Scope, flow: Flow): Flow {
    const subject = this.#exprs.check(step.subject, scope, flow);
    const seen = new Set<string>();
    let exhaustive = false;
    let out: Flow | undefined;
    for (const arm of step.arms) {
      for (const pattern of arm.patterns) {
        let key: string | undefined;
        if (exhaustive) this.#deadArm(pattern.span, 'an earlier `_` arm matches everything');
        if (pattern.kind === 'WildcardPattern') {
          exhaustive = true;
          continue;
        }
        if (pattern.kind === 'NamePattern') {
          const fake = { kind: 'NameExpr' as const, span: pattern.span, name: pattern.name };
          const symbol = this.#exprs.resolveName(
            fake,
            scope,
            flow,
            subject.kind === 'event' ? PREFER_EVENT : NO_OPTIONS,
          );
          let t: Type = T.error;
          if (!symbol) {
            this.#exprs.check(fake, scope, flow);
          } else {
            this.cx.symbols.set(pattern, symbol);
            t = constantType(symbol);
            if (t.kind === 'error' && symbol.kind !== 'status') {
              this.cx.report(SEM.typeMismatch, {
                span: pattern.span,
                message: `a pattern must be a constant, \`${pattern.name.name}\` is a ${symbol.kind}`,
                label: 'not a constant',
                help: 'compare with `if` instead',
              });
            } else if (symbol.kind === 'status') {
              this.cx.report(SEM.statusOutsideMatch, {
                span: pattern.span,
                message: `status \`${pattern.name.name}\` cannot match a \`${typeToString(subject)}\``,
                label: 'statuses are matched only on a call result',
                help: 'match the call directly: `stop match { stopped => … }`',
              });
            }
          }
          key = `n:${pattern.name.name}`;
          this.#patternType(pattern.span, t, subject);
        } else {
          const lit = pattern.value;
          const t = lit.kind === 'IntLit' ? T.int : lit.kind === 'BoolLit' ? T.bool : T.string;
          if (lit.kind === 'StringLit') this.#exprs.check(lit, scope, flow);
          this.cx.types.set(lit, t);
          key =
            lit.kind === 'IntLit'
              ? `i:${lit.value}`
              : lit.kind === 'BoolLit'
                ? `b:${lit.value}`
                : `s:${lit.parts.map((p) => (typeof p === 'string' ? p : '{}')).join('')}`;
          this.#patternType(pattern.span, t, subject);
        }
        if (key !== undefined) {
          if (seen.has(key)) this.#deadArm(pattern.span, 'an earlier arm has the same pattern');
          seen.add(key);
        }
      }
      const armFlow = this.block(arm.body, scope, flow);
      out = out ? mergeFlows(out, armFlow) : armFlow;
    }
    if (subject.kind === 'bool' && seen.has('b:true') && seen.has('b:false')) exhaustive = true;
    if (!exhaustive) out = out ? mergeFlows(out, flow) : flow;
    return out ?? flow;
  }

  #patternType(span: Span, t: Type, subject: Type): void {
    if (t.kind === 'error' || subject.kind === 'error') return;
    if (!isEquatable(t, subject)) {
      this.cx.report(SEM.typeMismatch, {
        span,
        message: `this pattern is \`${typeToString(t)}\` but the matched value is \`${typeToString(subject)}\``,
        label: `expected \`${typeToString(subject)}\``,
      });
    }
  }

  #deadArm(span: Span, why: string): void {
    this.cx.report(SEM.unreachableArm, { span, message: 'this pattern can never match', label: why });
  }

  #action(step: ActionStep, scope: Scope, flow: Flow): Flow {
    if (scope.context === 'handler') {
      const event = scope.event;
      if (event) {
        const legal = LEGAL_ACTIONS[event];
        if (!legal.includes(step.action)) {
          this.cx.report(SEM.actionNotAllowedForEvent, {
            span: { start: step.span.start, end: step.span.start + step.action.length },
            message: `\`on ${event}\` cannot return \`${step.action}\``,
            label:
              legal.length === 0
                ? 'this handler returns nothing'
                : `expected ${legal.map((a) => `\`${a}\``).join(' or ')}`,
            notes: [
              event === 'reap'
                ? 'report_reap is the last callback: the task is gone and the engine is detached after it, so there is nothing to resume'
                : event === 'death'
                  ? 'the task is already dead at report_death: only `detach` has an effect (`resume` keeps the engine attached)'
                  : `\`${event}\` handlers return one of ${legal.map((a) => `\`${a}\``).join(', ')}`,
            ],
          });
        }
      }
      if (step.arms) this.#armsInHandler(step.span, step.arms, step.action, scope, flow);
      return flowOf(flow.stopped, flow.regs, true);
    }
    if (!step.arms) {
      if (step.action === 'stop') {
        this.cx.report(SEM.unmatchedStop, {
          span: { start: step.span.start, end: step.span.start + 4 },
          message: 'the result of `stop` must be matched',
          label: 'may return `stopped`, `pending` or `gone`',
          notes: [
            "utrace_control(STOP) returns -EINPROGRESS (`pending`) when the task is not yet quiescent: the stop is only requested, and the engine's own callbacks can still cancel it",
            'code that goes on as if the task were stopped is the classic lost-stop race (UTR3001, UTR3002)',
          ],
          help: 'match it: `stop match { stopped => … pending => … gone => … }`',
        });
        return flow;
      }
      return RELEASING_CALLS.has(step.action) ? withStopped(flow, false) : flow;
    }
    return this.#statusArms(step.action, step.span, step.action.length, step.arms, scope, flow, false);
  }

  #await(step: AwaitStep, scope: Scope, flow: Flow): Flow {
    if (scope.context === 'handler') {
      this.cx.report(SEM.awaitOutsideControl, {
        span: { start: step.span.start, end: step.span.start + 'await'.length },
        message: `\`await stopped\` is only allowed in control code, not in ${whereCode(scope)}`,
        label: 'control code only',
        notes: ['a handler runs on the task itself: waiting there for the task to stop would wait forever'],
        help: 'return `stop` from the handler instead',
      });
      if (step.within) this.#exprs.check(step.within, scope, flow);
      return flow;
    }
    if (step.within) this.#positiveDuration(step.within, scope, flow, '`within`');
    return step.arms
      ? this.#statusArms('await', step.span, 'await'.length, step.arms, scope, flow, step.within !== undefined)
      : flow;
  }

  /** Checks a duration expression that must be a positive constant; returns its value in nanoseconds when it is. */
  positiveDuration(expr: Expr, scope: Scope, flow: Flow, what: string): bigint | undefined {
    return this.#positiveDuration(expr, scope, flow, what);
  }

  #positiveDuration(expr: Expr, scope: Scope, flow: Flow, what: string): bigint | undefined {
    const t = this.#exprs.check(expr, scope, flow);
    if (t.kind === 'error') return undefined;
    if (t.kind !== 'duration') {
      const int = isNumeric(t) && expr.kind === 'IntLit';
      this.cx.report(SEM.typeMismatch, {
        span: expr.span,
        message: `${what} must be a \`duration\`, found \`${typeToString(t)}\``,
        label: 'expected a duration such as `10ms`',
        ...(int
          ? {
              help: 'give the unit',
              fix: {
                title: 'read it as milliseconds',
                applicability: 'unsafe' as const,
                edits: [{ span: expr.span, newText: `${this.cx.text(expr.span)}ms` }],
              },
            }
          : {}),
      });
      return undefined;
    }
    const nanos = constantNanos(expr);
    if (nanos === undefined) {
      this.cx.report(SEM.invalidPeriod, {
        span: expr.span,
        message: `${what} must be a constant duration`,
        label: 'not a constant',
        notes: ['the period and time limits are fixed when the engine is built'],
      });
      return undefined;
    }
    if (nanos <= 0n) {
      this.cx.report(SEM.invalidPeriod, {
        span: expr.span,
        message: `${what} must be positive, found \`${this.cx.text(expr.span)}\``,
        label: nanos === 0n ? 'zero' : 'negative',
      });
      return undefined;
    }
    return nanos;
  }

  #armsInHandler(span: Span, arms: readonly MatchArm[], what: string, scope: Scope, flow: Flow): void {
    // The arms' own contents are still checked, so their mistakes are found in the same run.
    for (const arm of arms) this.block(arm.body, scope, flow);
    const first = arms[0];
    this.cx.report(SEM.controlStepInHandler, {
      span: first ? { start: first.span.start, end: (arms[arms.length - 1] ?? first).span.end } : span,
      message: `a handler cannot match the result of \`${what}\``,
      label: 'results exist only in control code',
      notes: [
        what === 'events'
          ? "in a handler, `events ±x` changes the engine's own events synchronously and has no result"
          : "in a handler, a resume action is the callback's return value, not a call with a result",
      ],
      help: 'remove the `match { … }`',
    });
  }

  /**
   * Checks the arms matched on a control call's status: known statuses, exhaustiveness, and the typestate each arm
   * starts in (only an arm that matches `stopped` alone knows the task is stopped).
   */
  #statusArms(
    call: ControlCall,
    stepSpan: Span,
    keywordLength: number,
    arms: readonly MatchArm[],
    scope: Scope,
    flow: Flow,
    hasWithin: boolean,
  ): Flow {
    const possible = CALL_STATUSES[call];
    // At most six statuses: a list is cheaper than a set here, and this runs for every matched call.
    const covered: StatusName[] = [];
    let wildcard = false;
    let out: Flow | undefined;
    const callName = call === 'await' ? 'await stopped' : call;
    for (const arm of arms) {
      let onlyStopped = arm.patterns.length > 0;
      for (const pattern of arm.patterns) {
        if (wildcard) this.#deadArm(pattern.span, 'an earlier `_` arm matches everything');
        if (pattern.kind === 'WildcardPattern') {
          wildcard = true;
          onlyStopped = false;
          continue;
        }
        if (pattern.kind === 'LiteralPattern') {
          onlyStopped = false;
          this.cx.report(SEM.typeMismatch, {
            span: pattern.span,
            message: `\`${callName}\` returns a status, not a value`,
            label: `expected one of ${possible.map((s) => `\`${s}\``).join(', ')}`,
          });
          continue;
        }
        const name = pattern.name.name;
        if (!STATUS_SET.has(name)) {
          const best = suggest(name, possible);
          // A misspelt status counts as the one it resembles, so the typo is the only error reported.
          if (best) covered.push(best as StatusName);
          if (best !== 'stopped') onlyStopped = false;
          this.cx.report(SEM.unknownName, {
            span: pattern.span,
            message: `unknown status \`${name}\``,
            label: best
              ? `did you mean \`${best}\`?`
              : `\`${callName}\` returns ${possible.map((s) => `\`${s}\``).join(', ')}`,
            ...(best
              ? {
                  fix: {
                    title: `use \`${best}\``,
                    applicability: 'safe' as const,
                    edits: [{ span: pattern.span, newText: best }],
                  },
                }
              : {}),
          });
          continue;
        }
        if (name !== 'stopped') onlyStopped = false;
        const status = name as StatusName;
        this.cx.symbols.set(pattern, STATUS_SYMBOLS[status]);
        if (call === 'await' && status === 'timeout' && !hasWithin) {
          this.cx.report(SEM.timeoutWithoutWithin, {
            span: pattern.span,
            message: '`timeout` needs `await stopped within DURATION`',
            label: 'this wait has no time limit',
            help: 'give a limit (`await stopped within 1s match { … }`) or remove this arm',
          });
        } else if (!possible.includes(status)) {
          this.cx.report(SEM.impossibleStatus, {
            span: pattern.span,
            message: `\`${callName}\` never returns \`${status}\``,
            label: `\`${callName}\` returns ${possible.map((s) => `\`${s}\``).join(', ')}`,
            ...(status === 'pending' && RELEASING_CALLS.has(call) && call !== 'detach'
              ? { notes: ['only `stop`, `detach` and `events` can leave work pending'] }
              : {}),
          });
        } else if (covered.includes(status)) {
          this.#deadArm(pattern.span, `\`${status}\` is matched by an earlier arm`);
        }
        covered.push(status);
      }
      const knowsStopped = (call === 'stop' || call === 'await') && onlyStopped;
      const startsRunning = call === 'stop' || call === 'await' || RELEASING_CALLS.has(call);
      const armStart: Flow = knowsStopped ? withStopped(flow, true) : startsRunning ? withStopped(flow, false) : flow;
      const armFlow = this.block(arm.body, scope, armStart);
      out = out ? mergeFlows(out, armFlow) : armFlow;
    }
    const missing = wildcard
      ? NO_STATUSES
      : possible.filter((s) => !(s === 'timeout' && !hasWithin) && !covered.includes(s));
    if (missing.length > 0) {
      const keyword: Span = { start: stepSpan.start, end: stepSpan.start + keywordLength };
      const last = arms[arms.length - 1];
      const indent = last ? this.#indentOf(last.span.start) : '  ';
      this.cx.report(SEM.nonExhaustiveStatusMatch, {
        span: keyword,
        message: `the match on \`${callName}\` does not handle ${missing.map((s) => `\`${s}\``).join(', ')}`,
        label: `${missing.length === 1 ? 'this status is' : 'these statuses are'} not handled`,
        notes: missingNotes(call, missing),
        help: 'add an arm for each missing status, or `_ => …`',
        ...(last
          ? {
              fix: {
                title: `add ${missing.map((s) => `\`${s} => nothing\``).join(', ')}`,
                applicability: 'unsafe' as const,
                edits: [
                  {
                    span: { start: last.span.end, end: last.span.end },
                    newText: missing.map((s) => `\n${indent}${s} => nothing`).join(''),
                  },
                ],
              },
            }
          : {}),
      });
      // The unhandled statuses fall through with the task running.
      const fall = withStopped(flow, call === 'events' || call === 'barrier' ? flow.stopped : false);
      out = out ? mergeFlows(out, fall) : fall;
    }
    return out ?? flow;
  }

  #indentOf(offset: number): string {
    const { line } = this.cx.source.lineCol(offset);
    const text = this.cx.source.lineText(line);
    return /^[ \t]*/.exec(text)?.[0] ?? '';
  }

  /**
   * Types a write target and checks it is engine state (a state variable, or an element of one); returns its type
   * (`error` when it is not writable, after reporting).
   */
  #place(target: Expr, scope: Scope, flow: Flow, how: string): Type {
    const root = rootName(target);
    const t = this.#exprs.check(target, scope, flow);
    const symbol = root ? this.cx.symbols.get(root) : undefined;
    if (root && symbol?.kind === 'state' && (target.kind === 'NameExpr' || target.kind === 'IndexExpr')) {
      const uses = scope.states.get(symbol.name)?.uses;
      if (uses && scope.member) {
        const write = { node: root, access: 'write', context: scope.context, member: scope.member } as const;
        // Typing the target recorded a read of the root. `set` and `fetch … into` only write, so that read becomes
        // the write; `+=`, `-=` and `append` read and write, so both are kept.
        const at = uses.findLastIndex((u) => u.node === root);
        if ((how === 'set' || how === 'fetch') && at >= 0) uses[at] = write;
        else uses.push(write);
      }
      return t;
    }
    if (t.kind === 'error' && (!root || !symbol)) return T.error;
    const what = describeTarget(target, symbol?.kind);
    this.cx.report(SEM.invalidAssignmentTarget, {
      span: target.span,
      message: `cannot ${how === 'set' ? 'assign to' : how === 'append' ? 'append to' : how === 'fetch' ? 'fetch into' : 'update'} ${what}`,
      label:
        symbol && symbol.kind !== 'state'
          ? `${symbol.kind === 'syscall' || symbol.kind === 'signal' || symbol.kind === 'event' ? 'a constant' : 'read-only'}`
          : 'not engine state',
      notes: [
        'only state variables (and their elements) can be written; bindings, parameters, `task` and `regs` are read-only',
      ],
      ...(symbol?.kind === 'binding' || symbol?.kind === 'param'
        ? { help: `copy it into state: declare \`state x: …\` and \`set x = ${this.cx.text(target.span)}\`` }
        : {}),
    });
    return T.error;
  }

  #mismatch(span: Span, what: string, expected: Type, found: Type): void {
    this.cx.report(SEM.typeMismatch, {
      span,
      message: `${what} must be \`${typeToString(expected)}\`, found \`${typeToString(found)}\``,
      label: `this is \`${typeToString(found)}\``,
    });
  }
}

/** Where code runs, in prose: \`on exec\` or control code. */
function whereCode(scope: Scope): string {
  return scope.context === 'handler' ? `\`on ${scope.event ?? '?'}\`` : 'control code';
}

function rootName(e: Expr): NameExpr | undefined {
  let cur: Expr = e;
  for (;;) {
    if (cur.kind === 'NameExpr') return cur;
    if (cur.kind === 'IndexExpr' || cur.kind === 'FieldExpr') cur = cur.object;
    else return undefined;
  }
}

function describeTarget(target: Expr, kind: string | undefined): string {
  if (target.kind === 'FieldExpr') return `field \`${target.field.name}\``;
  switch (kind) {
    case 'binding':
      return 'a handler binding';
    case 'param':
      return 'a parameter';
    case 'task':
      return '`task`';
    case 'regs':
      return '`regs`';
    case 'syscall':
    case 'signal':
    case 'event':
      return `the ${kind} constant`;
    default:
      return 'this expression';
  }
}

/** The type of a pattern's name: a constant's (syscall, signal, event) type, `error` for anything else. */
function constantType(symbol: NameSymbol): Type {
  return symbol.kind === 'syscall' || symbol.kind === 'signal' || symbol.kind === 'event'
    ? symbolType(symbol)
    : T.error;
}

function missingNotes(call: ControlCall, missing: readonly StatusName[]): string[] {
  const notes: string[] = [];
  if (missing.includes('pending') && call === 'stop') {
    notes.push(
      "`pending` means the stop is only requested: the task is still running and the engine's own callbacks can cancel it; ignoring it is the classic lost-stop race",
    );
  }
  if (missing.includes('gone'))
    notes.push('`gone` means the task has exited or been reaped: there is nothing left to act on');
  if (missing.includes('already'))
    notes.push('`already` means the engine was detached already (for instance by a `death` handler)');
  return notes;
}
