/**
 * The per-engine model every race rule shares: which handlers run for which event and under which conditions on
 * boolean state, every path through each handler with the resume action it ends with, every path through the
 * control side (controls, timers, `on attach`/`on detach`) with the utrace calls it makes and how it handles each
 * result, and which side reads and writes which state.
 *
 * It is built once per engine from the checked program (names already resolved by the checker) and only read by
 * the rules, so adding a rule never adds a pass over the code.
 */
import type { CheckedEngine, CheckedHandler, CheckedProgram, CodeMember } from '../program.js';
import type { EventName, Expr, NameExpr } from '../../parser/ast.js';
import type { Span } from '../../diagnostics/source.js';
import { CONTROL_EVENTS } from '../events.js';
import type { BoolStateTest, Dnf } from './conditions.js';
import { FALSE, Literals, TRUE, and, toDnf } from './conditions.js';
import type { FinalEvent, NameResolver, Path, ReadEvent, WriteEvent } from './paths.js';
import { walkBody, walkGuardedBody } from './paths.js';

/** One path through a handler, or the implicit default `resume` when no guard of the event's chain holds. */
export interface HandlerPath {
  readonly event: EventName;
  /** Absent for the implicit default. */
  readonly handler?: CheckedHandler;
  readonly path: Path;
  /** The resume action the path ends with (absent for `reap`, which returns nothing). */
  readonly final?: FinalEvent;
}

/** Which kind of control-side code a body is. */
export type ControlKind = 'control' | 'timer' | 'attach' | 'detach';

/** A control-side body and its paths. */
export interface ControlBody {
  readonly member: CodeMember;
  readonly kind: ControlKind;
  /** How messages name it: "control `cont`", "`every 10ms`", "`on attach`". */
  readonly label: string;
  /** Where messages point at it as a whole. */
  readonly span: Span;
  readonly paths: readonly Path[];
}

/** A state access by a handler, with the handler path it is on. */
export interface HandlerAccess<E> {
  readonly event: E;
  readonly at: HandlerPath;
}

/** The shared model of one engine. */
export interface EngineModel {
  readonly checked: CheckedEngine;
  readonly name: string;
  /** Handler paths per utrace event (attach/detach are control code, not here), including implicit defaults. */
  readonly handlerPaths: ReadonlyMap<EventName, readonly HandlerPath[]>;
  /** Every handler path, all events. */
  readonly allHandlerPaths: readonly HandlerPath[];
  readonly controls: readonly ControlBody[];
  /** Events the engine can be subscribed to: its handlers' events and any `events +x`. */
  readonly subscribed: ReadonlySet<string>;
  /** Handler-side writes and reads per state variable. */
  readonly handlerWrites: ReadonlyMap<string, readonly HandlerAccess<WriteEvent>[]>;
  readonly handlerReads: ReadonlyMap<string, readonly HandlerAccess<ReadEvent>[]>;
  /** True when some body had more paths than the analysis follows. */
  readonly truncated: boolean;
  /** Whether the engine has a reachable handler for the event. */
  hasHandler(event: EventName): boolean;
}

/** The model of a whole file. */
export interface FileModel {
  readonly checked: CheckedProgram;
  readonly engines: readonly EngineModel[];
  readonly byName: ReadonlyMap<string, EngineModel>;
}

/** The values of a default path, which writes nothing: one map for all of them (paths never change theirs). */
const NO_VALUES: ReadonlyMap<string, boolean | null> = new Map();

/** Builds the model of every engine of a checked file. */
export function buildFileModel(checked: CheckedProgram): FileModel {
  const engines = checked.engines.map(buildEngineModel);
  return { checked, engines, byName: new Map(engines.map((e) => [e.name, e])) };
}

/** Builds one engine's model. */
function buildEngineModel(engine: CheckedEngine): EngineModel {
  const names = resolverFor(engine);
  const literals = new Literals();
  const boolState = (e: Expr): string | undefined => names.boolStateOf(e);
  const handlerPaths = new Map<EventName, HandlerPath[]>();
  const allHandlerPaths: HandlerPath[] = [];
  const controls: ControlBody[] = [];
  let truncated = false;
  const subscribed = new Set<string>();

  for (const group of engine.handlers) {
    const event = group.event;
    if (CONTROL_EVENTS.has(event)) {
      for (const h of group.handlers) {
        if (!h.reachable) continue;
        const r = walkBody(h.node.body, 'control', guardDnf(h.node.guard, boolState, literals), names, literals);
        truncated ||= r.truncated;
        controls.push({
          member: h.node,
          kind: event === 'attach' ? 'attach' : 'detach',
          label: `\`on ${event}\``,
          span: h.node.event.span,
          paths: r.paths,
        });
      }
      continue;
    }
    subscribed.add(event);
    const out: HandlerPath[] = [];
    let before: Dnf = TRUE; // none of the earlier guards held
    for (const h of group.handlers) {
      if (!h.reachable) continue;
      const g = guardDnf(h.node.guard, boolState, literals);
      const entry = and(before, g);
      const r = walkBody(h.node.body, 'handler', entry, names, literals);
      truncated ||= r.truncated;
      for (const path of r.paths) {
        const last = path.trace[path.trace.length - 1];
        out.push(last?.kind === 'final' ? { event, handler: h, path, final: last } : { event, handler: h, path });
      }
      // Over-approximate "this guard did not hold": an opaque test (a payload field) may be false either way.
      before = h.node.guard === undefined ? FALSE : and(before, guardDnf(h.node.guard, boolState, literals, false));
    }
    const first = group.handlers[0];
    if (event !== 'reap' && before.length > 0 && first !== undefined) {
      // No guard held: utrace's callback still runs and the engine answers with the default `resume`.
      const span = first.node.event.span;
      for (const term of before) {
        const final: FinalEvent = { kind: 'final', action: 'resume', span };
        out.push({
          event,
          path: { assume: term, values: NO_VALUES, trace: [final], stopped: false, ended: true },
          final,
        });
      }
    }
    handlerPaths.set(event, out);
    for (const hp of out) allHandlerPaths.push(hp);
  }

  for (const c of engine.controls) {
    const r = walkBody(c.node.body, 'control', TRUE, names, literals);
    truncated ||= r.truncated;
    controls.push({
      member: c.node,
      kind: 'control',
      label: `control \`${c.name}\``,
      span: c.node.name.span,
      paths: r.paths,
    });
  }
  for (const t of engine.timers) {
    const guard = t.node.guard;
    const entry = guardDnf(guard, boolState, literals);
    const r =
      guard === undefined
        ? walkBody(t.node.body, 'control', entry, names, literals)
        : walkGuardedBody(t.node.body, guard, entry, names, literals);
    truncated ||= r.truncated;
    const period = t.node.period.span;
    controls.push({
      member: t.node,
      kind: 'timer',
      label: `timer \`every ${periodText(t.node.period)}\``,
      span: { start: t.node.span.start, end: period.end },
      paths: r.paths,
    });
  }

  for (const c of controls) {
    for (const p of c.paths) {
      for (const ev of p.trace)
        if (ev.kind === 'call' && ev.call === 'events') for (const a of ev.adds) subscribed.add(a);
    }
  }

  return new Model(engine, handlerPaths, allHandlerPaths, controls, subscribed, truncated);
}

/** An engine's model; a class, so the lazily built tables cost no per-engine accessor objects. */
class Model implements EngineModel {
  readonly name: string;
  #accesses: Accesses | undefined;

  constructor(
    readonly checked: CheckedEngine,
    readonly handlerPaths: ReadonlyMap<EventName, readonly HandlerPath[]>,
    readonly allHandlerPaths: readonly HandlerPath[],
    readonly controls: readonly ControlBody[],
    readonly subscribed: ReadonlySet<string>,
    readonly truncated: boolean,
  ) {
    this.name = checked.name;
  }

  // Only some rules ask which handlers touch a variable (those about control code racing a late callback), so the
  // tables are built on first use.
  get handlerWrites(): ReadonlyMap<string, readonly HandlerAccess<WriteEvent>[]> {
    this.#accesses ??= handlerAccesses(this.allHandlerPaths);
    return this.#accesses.writes;
  }

  get handlerReads(): ReadonlyMap<string, readonly HandlerAccess<ReadEvent>[]> {
    this.#accesses ??= handlerAccesses(this.allHandlerPaths);
    return this.#accesses.reads;
  }

  hasHandler(event: EventName): boolean {
    return this.handlerPaths.get(event)?.some((p) => p.handler !== undefined) ?? false;
  }
}

interface Accesses {
  readonly writes: ReadonlyMap<string, readonly HandlerAccess<WriteEvent>[]>;
  readonly reads: ReadonlyMap<string, readonly HandlerAccess<ReadEvent>[]>;
}

/** Handler-side writes and reads per state variable, in handler path order. */
function handlerAccesses(paths: readonly HandlerPath[]): Accesses {
  const writes = new Map<string, HandlerAccess<WriteEvent>[]>();
  const reads = new Map<string, HandlerAccess<ReadEvent>[]>();
  for (const at of paths) {
    for (const ev of at.path.trace) {
      if (ev.kind === 'write') push(writes, ev.state, { event: ev, at });
      else if (ev.kind === 'read') push(reads, ev.state, { event: ev, at });
    }
  }
  return { writes, reads };
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

function guardDnf(guard: Expr | undefined, boolState: BoolStateTest, literals: Literals, positive = true): Dnf {
  if (guard === undefined) return positive ? TRUE : FALSE;
  return toDnf(guard, boolState, positive, literals);
}

function periodText(e: Expr): string {
  if (e.kind !== 'DurationLit') return '…';
  const units: [bigint, string][] = [
    [3_600_000_000_000n, 'h'],
    [60_000_000_000n, 'm'],
    [1_000_000_000n, 's'],
    [1_000_000n, 'ms'],
    [1_000n, 'us'],
  ];
  for (const [n, u] of units) if (e.nanos % n === 0n && e.nanos >= n) return `${e.nanos / n}${u}`;
  return `${e.nanos}ns`;
}

/** Resolves names through the checker's symbol table, so a binding or parameter hiding a state is not state. */
function resolverFor(engine: CheckedEngine): NameResolver {
  const stateOf = (e: NameExpr): string | undefined => {
    const s = engine.symbolOf(e);
    return s?.kind === 'state' ? s.name : undefined;
  };
  return {
    stateOf,
    boolStateOf(expr: Expr): string | undefined {
      if (expr.kind !== 'NameExpr') return undefined;
      const s = engine.symbolOf(expr);
      return s?.kind === 'state' && s.type.kind === 'bool' ? s.name : undefined;
    },
  };
}
