/**
 * Translates `.utr` steps into TypeScript statements. Handler steps become plain synchronous code ending in a
 * `return` of the resume action; control steps become generator code in which each runtime call is a `yield*` of
 * the `Control` coroutine, so the scheduler can preempt control code at every call, as the language promises.
 */
import type { CheckedEngine } from '../checker/program.js';
import type { Type } from '../checker/types.js';
import type {
  ActionStep,
  AwaitStep,
  Block,
  Expr,
  FetchStep,
  IfStep,
  MatchArm,
  MatchStep,
  Pattern,
  ResumeActionName,
  Step,
} from '../parser/ast.js';
import type { ModuleContext } from './context.js';
import { EVENT_CONSTANTS, ExprWriter, type CodeScope } from './expressions.js';
import { bigintLiteral, commentText, numberLiteral, stringLiteral } from './literals.js';
import { showExpr } from './types.js';

/** The `Action` member of each resume action. */
const ACTIONS: Readonly<Record<ResumeActionName, string>> = {
  stop: 'Action.Stop',
  interrupt: 'Action.Interrupt',
  report: 'Action.Report',
  singlestep: 'Action.SingleStep',
  blockstep: 'Action.BlockStep',
  resume: 'Action.Resume',
  detach: 'Action.Detach',
};

/** The `SignalAction` of each `fate`. `handler` delivers to the handler in `return_ka`, as DELIVER does. */
const FATES: Readonly<Record<string, string>> = {
  deliver: 'SignalAction.Deliver',
  ignore: 'SignalAction.Ign',
  stop: 'SignalAction.Stop',
  terminate: 'SignalAction.Term',
  core: 'SignalAction.Core',
  handler: 'SignalAction.Deliver',
};

/** Lines of code with indentation (prettier reformats `build` output; `run` loads it as is). */
export class Lines {
  readonly lines: string[] = [];
  private depth = 0;

  add(line: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }

  indent(f: () => void): void {
    this.depth++;
    f();
    this.depth--;
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** How the code of one member ends its paths and names its verdict locals. */
export interface MemberShape extends CodeScope {
  /** What a handler ORs into its resume action: the syscall action or the signal's fate (a local or the incoming
   * bits). */
  readonly extra?: string;
}

/** Writes the statements of one member. */
export class StepWriter {
  readonly x: ExprWriter;

  constructor(
    readonly m: ModuleContext,
    readonly engine: CheckedEngine,
  ) {
    this.x = new ExprWriter(m, engine);
  }

  block(b: Block, s: MemberShape, out: Lines): void {
    for (const step of b.steps) this.step(step, s, out);
  }

  private e(expr: Expr, s: MemberShape): string {
    return this.x.expr(expr, s);
  }

  step(step: Step, s: MemberShape, out: Lines): void {
    const m = this.m;
    switch (step.kind) {
      case 'FetchStep':
        return this.fetch(step, s, out);
      case 'SetStep':
        return this.assign(step.target, s, out, (_old) => this.e(step.value, s));
      case 'UpdateStep': {
        const value = this.e(step.value, s);
        return this.assign(
          step.target,
          s,
          out,
          (old) => `${m.value('i64')}(${old} ${step.op === '+=' ? '+' : '-'} ${value})`,
        );
      }
      case 'AppendStep': {
        const target = this.x.typeOf(step.target);
        const container = this.place(step.target, s);
        out.add(
          target.kind === 'hist'
            ? `${container}.add(${this.e(step.value, s)});`
            : `${container}.push(${this.e(step.value, s)});`,
        );
        return;
      }
      case 'EmitStep':
        return this.emit(step.value, s, out);
      case 'AttachStep': {
        const name = stringLiteral(step.engine.name);
        const task = this.e(step.task, s);
        out.add(
          s.side === 'handler'
            ? `this.host.attach(${name}, ${task});`
            : `yield* this.host.attachFrom(ctl, ${name}, ${task});`,
        );
        return;
      }
      case 'EventsStep': {
        const mask = (sign: '+' | '-'): string => {
          const names = step.changes
            .filter((c) => c.sign === sign)
            .map((c) => EVENT_CONSTANTS[c.event.name as keyof typeof EVENT_CONSTANTS]);
          for (const n of names) m.value((n as string).split('.')[0] as string);
          return names.length === 0 ? '0' : names.join(' | ');
        };
        const engine = s.side === 'handler' ? 'ctx.engine' : 'this.engine';
        const change = `${m.value('changeEvents')}(${engine}.flags, ${mask('+')}, ${mask('-')})`;
        const call =
          s.side === 'handler'
            ? `this.host.runtime.setEvents(ctx.engine, ${change})`
            : `yield* ctl.setEvents(this.engine, ${change})`;
        return this.status(`${m.value('detachStatus')}("events", ${call}, ${m.locRef(step.span)})`, step.arms, s, out);
      }
      case 'BarrierStep':
        return this.status(
          `${m.value('doneStatus')}("barrier", yield* ctl.barrier(this.engine), ${m.locRef(step.span)})`,
          step.arms,
          s,
          out,
        );
      case 'NothingStep':
        return;
      case 'IfStep':
        return this.ifStep(step, s, out, false);
      case 'MatchStep':
        return this.match(step, s, out);
      case 'ActionStep':
        return this.action(step, s, out);
      case 'AwaitStep':
        return this.await(step, s, out);
      case 'AbortStep':
        out.add(`verdict = ${m.value('SyscallAction')}.Abort;`);
        return;
      case 'FateStep':
        out.add(`fate = ${m.value('SignalAction')}.${FATES[step.fate]?.split('.')[1] ?? 'Deliver'};`);
        return;
      case 'AssertStep': {
        const message = step.message ? `, ${this.x.expr(step.message, s)}` : '';
        out.add(`${m.value('assertCondition')}(${this.e(step.cond, s)}, ${m.locRef(step.span)}${message});`);
        return;
      }
    }
  }

  /**
   * The container a place lives in, created when missing: `this.state.xs`, or `this.state.m.entry(k)` for a map
   * entry that is appended to.
   */
  private place(target: Expr, s: MemberShape): string {
    if (target.kind === 'NameExpr') return this.e(target, s);
    if (target.kind === 'IndexExpr') {
      const objectType = this.x.typeOf(target.object);
      const object = this.place(target.object, s);
      const index = this.e(target.index, s);
      if (objectType.kind === 'map') return `${object}.entry(${index})`;
      return `${this.m.value('listAt')}(${object}, ${index}, ${this.m.locRef(target.span)})`;
    }
    throw new Error(`internal error: \`${target.kind}\` is not a place`);
  }

  /** `set`, `+=`/`-=`: write `value(old)` to a place. */
  private assign(target: Expr, s: MemberShape, out: Lines, value: (old: string) => string): void {
    if (target.kind === 'NameExpr') {
      const place = this.e(target, s);
      out.add(`${place} = ${value(place)};`);
      return;
    }
    if (target.kind === 'IndexExpr') {
      const objectType = this.x.typeOf(target.object);
      const object = this.place(target.object, s);
      const index = this.e(target.index, s);
      if (objectType.kind === 'map') {
        out.add(`${object}.set(${index}, ${value(`${object}.at(${index})`)});`);
        return;
      }
      const m = this.m;
      const loc = m.locRef(target.span);
      out.add(
        `${m.value('listSet')}(${object}, ${index}, ${value(`${m.value('listAt')}(${object}, ${index}, ${loc})`)}, ${loc});`,
      );
      return;
    }
    throw new Error(`internal error: \`${target.kind}\` is not a place`);
  }

  private fetch(step: FetchStep, s: MemberShape, out: Lines): void {
    const m = this.m;
    const handler = s.side === 'handler';
    let value: string;
    if (step.what === 'regs') {
      out.add(handler ? 'regs = ctx.regs();' : 'regs = ctl.regs(this.task);');
      if (!step.into) return;
      value = 'regs';
    } else {
      const addr = step.addr ? this.e(step.addr, s) : '0n';
      const len = `${m.value('memLength')}(${step.len ? this.e(step.len, s) : '0n'}, ${m.locRef(step.span)})`;
      value = handler ? `ctx.readMemory(${addr}, ${len})` : `ctl.readMemory(this.task, ${addr}, ${len})`;
      if (!step.into) return;
    }
    const into = step.into;
    if (this.x.typeOf(into).kind === 'list') out.add(`${this.place(into, s)}.push(${value});`);
    else this.assign(into, s, out, () => value);
  }

  private emit(value: Expr, s: MemberShape, out: Lines): void {
    const t = this.x.typeOf(value);
    const v = t.kind === 'table' ? this.e(value, s) : showExpr(t, this.e(value, s), this.m);
    out.add(s.side === 'handler' ? `ctx.emit(${v});` : `this.host.runtime.emit(this.engine, ${v});`);
  }

  private ifStep(step: IfStep, s: MemberShape, out: Lines, chained: boolean): void {
    out.add(`${chained ? '} else ' : ''}if (${this.e(step.cond, s)}) {`);
    out.indent(() => this.block(step.then, s, out));
    const e = step.else;
    if (e === undefined) {
      out.add('}');
    } else if (e.kind === 'IfStep') {
      this.ifStep(e, s, out, true);
    } else {
      out.add('} else {');
      out.indent(() => this.block(e, s, out));
      out.add('}');
    }
  }

  /** A value `match`: a `switch` over the subject. */
  private match(step: MatchStep, s: MemberShape, out: Lines): void {
    const subjectType = this.x.typeOf(step.subject);
    out.add(`switch (${this.e(step.subject, s)}) {`);
    out.indent(() => {
      this.arms(step.arms, s, out, (p) => this.pattern(p, subjectType));
      // A handler must return on every path; the checker made sure a matching arm does, but TypeScript cannot
      // know that the arms cover every value.
      if (s.side === 'handler' && !step.arms.some((a) => a.patterns.some((p) => p.kind === 'WildcardPattern'))) {
        out.add('default:');
        out.indent(() =>
          out.add(`throw new ${this.m.value('UtrFault')}("no arm of the match matches", ${this.m.locRef(step.span)});`),
        );
      }
    });
    out.add('}');
  }

  private pattern(p: Pattern, subject: Type): string | undefined {
    switch (p.kind) {
      case 'WildcardPattern':
        return undefined;
      case 'LiteralPattern': {
        const v = p.value;
        if (v.kind === 'IntLit')
          return subject.kind === 'task' ? numberLiteral(Number(v.value)) : bigintLiteral(v.value);
        if (v.kind === 'BoolLit') return v.value ? 'true' : 'false';
        return this.x.expr(v, { side: 'init', locals: new Map() });
      }
      case 'NamePattern': {
        const sym = this.engine.symbolOf(p);
        if (!sym) throw new Error(`internal error: pattern \`${p.name.name}\` did not resolve`);
        if (sym.kind === 'syscall') return `${bigintLiteral(BigInt(sym.nr))} /* ${commentText(sym.name)} */`;
        if (sym.kind === 'signal') return `${bigintLiteral(BigInt(sym.signo))} /* ${commentText(sym.name)} */`;
        if (sym.kind === 'event') return this.x.eventConstant(sym.name);
        if (sym.kind === 'status') return stringLiteral(sym.name);
        throw new Error(`internal error: pattern \`${p.name.name}\` is a ${sym.kind}`);
      }
    }
  }

  /** The `case` clauses of a switch; `break` after an arm that can fall off its end. */
  private arms(arms: readonly MatchArm[], s: MemberShape, out: Lines, label: (p: Pattern) => string | undefined): void {
    for (const arm of arms) {
      for (const p of arm.patterns) {
        const l = label(p);
        out.add(l === undefined ? 'default:' : `case ${l}:`);
      }
      out.indent(() => {
        const body = new Lines();
        this.block(arm.body, s, body);
        if (body.lines.length === 0) {
          out.add('break;');
          return;
        }
        const last = body.lines[body.lines.length - 1]?.trim() ?? '';
        const ends =
          last.startsWith('return ') || last.startsWith('throw ') || (s.side === 'handler' && endsAllPaths(arm.body));
        out.add('{');
        out.indent(() => {
          for (const line of body.lines) out.add(line);
          if (!ends) out.add('break;');
        });
        out.add('}');
      });
    }
  }

  /** A status match after a control call, or the call alone (its status still checked for real failures). */
  private status(call: string, arms: readonly MatchArm[] | undefined, s: MemberShape, out: Lines): void {
    if (!arms || arms.length === 0) {
      out.add(`${call};`);
      return;
    }
    out.add(`switch (${call}) {`);
    out.indent(() => this.arms(arms, s, out, (p) => this.pattern(p, { kind: 'status', call: 'stop', statuses: [] })));
    out.add('}');
  }

  private action(step: ActionStep, s: MemberShape, out: Lines): void {
    const m = this.m;
    m.value('Action');
    const action = ACTIONS[step.action];
    if (s.side === 'handler') {
      out.add(`return ${action}${s.extra ? ` | ${s.extra}` : ''};`);
      return;
    }
    const call = `yield* ctl.control(this.engine, ${action})`;
    const loc = m.locRef(step.span);
    const status =
      step.action === 'stop'
        ? `${m.value('stopStatus')}(${call}, ${loc})`
        : step.action === 'detach'
          ? `${m.value('detachStatus')}("detach", ${call}, ${loc})`
          : `${m.value('doneStatus')}(${stringLiteral(step.action)}, ${call}, ${loc})`;
    this.status(status, step.arms, s, out);
  }

  private await(step: AwaitStep, s: MemberShape, out: Lines): void {
    const m = this.m;
    const w = step.within;
    const within = !w
      ? ''
      : w.kind === 'DurationLit'
        ? `, ${numberLiteral(Number(w.nanos))}`
        : `, Number(${this.e(w, s)})`;
    this.status(
      `${m.value('awaitStatus')}(yield* ctl.waitStopped(this.engine${within}), ${m.locRef(step.span)})`,
      step.arms,
      s,
      out,
    );
  }
}

/** True when every path through the block ends in a resume action or `abort`-free return (handler code). */
function endsAllPaths(b: Block): boolean {
  const last = b.steps[b.steps.length - 1];
  if (!last) return false;
  if (last.kind === 'ActionStep') return last.arms === undefined;
  if (last.kind === 'IfStep') {
    if (!last.else) return false;
    return (
      endsAllPaths(last.then) &&
      (last.else.kind === 'IfStep'
        ? endsAllPaths({ kind: 'Block', span: last.span, steps: [last.else] })
        : endsAllPaths(last.else))
    );
  }
  if (last.kind === 'MatchStep') return last.arms.every((a) => endsAllPaths(a.body));
  return false;
}

/** Whether a block contains a step of the kind anywhere (to declare the locals it needs). */
export function containsStep(b: Block, kind: Step['kind']): boolean {
  return b.steps.some((step) => stepContains(step, kind));
}

function stepContains(step: Step, kind: Step['kind']): boolean {
  if (step.kind === kind) return true;
  const arms = 'arms' in step ? step.arms : undefined;
  if (arms?.some((a) => containsStep(a.body, kind))) return true;
  if (step.kind === 'IfStep')
    return (
      containsStep(step.then, kind) ||
      (step.else !== undefined &&
        (step.else.kind === 'IfStep' ? stepContains(step.else, kind) : containsStep(step.else, kind)))
    );
  return false;
}
