/**
 * What a piece of code can see (scope) and what is known at a point of it (flow). Both are plain data, built once
 * per member and copied at branches, so checking stays linear in the size of the code.
 */
import type { EventName } from '../parser/ast.js';
import type {
  BindingSymbol,
  CodeContext,
  CodeMember,
  EngineSymbol,
  ParamSymbol,
  StateSymbol,
  StateUse,
} from './program.js';

/** A state symbol whose use list the checker appends to while it walks the engine. */
export interface MutableStateSymbol extends StateSymbol {
  readonly uses: StateUse[];
}

/** The names visible to one member's code and the facts about where it runs. */
export interface Scope {
  readonly states: ReadonlyMap<string, MutableStateSymbol>;
  readonly engines: ReadonlyMap<string, EngineSymbol>;
  readonly binding?: BindingSymbol;
  readonly params?: ReadonlyMap<string, ParamSymbol>;
  readonly context: CodeContext;
  /** The member whose code this is; undefined while checking state initialisers. */
  readonly member?: CodeMember;
  /** A binding already reported as wrong (unknown event, event without payload): its uses are silently `error`. */
  readonly poisoned?: string;
  /** The handler's event (for `handler`-context code and the `attach`/`detach` handlers). */
  readonly event?: EventName;
}

/** What is known at a point of a path. */
export interface Flow {
  /** Control code only: the engine's stop is known to be in force (inside a `stopped` arm). */
  readonly stopped: boolean;
  /** `fetch regs` has run on every path to here. */
  readonly regs: boolean;
  /** Handler code only: the path has returned its resume action; later steps never run. */
  readonly ended: boolean;
}

/**
 * The eight flows, made once: a flow is three booleans, so every step shares these instead of copying one (the
 * checker asks for a changed flow at nearly every step).
 */
const FLOWS: readonly Flow[] = Array.from({ length: 8 }, (_, i) =>
  Object.freeze({ stopped: (i & 4) !== 0, regs: (i & 2) !== 0, ended: (i & 1) !== 0 }),
);

/** The flow with these facts. */
export function flowOf(stopped: boolean, regs: boolean, ended: boolean): Flow {
  return FLOWS[(stopped ? 4 : 0) + (regs ? 2 : 0) + (ended ? 1 : 0)] as Flow;
}

/** The flow at the start of a member's code. */
export const START_FLOW: Flow = flowOf(false, false, false);

/** `flow` with `stopped` set to `stopped`. */
export function withStopped(flow: Flow, stopped: boolean): Flow {
  return flowOf(stopped, flow.regs, flow.ended);
}

/** The flow after two alternative paths meet: a fact holds only if it holds on every path that goes on. */
export function mergeFlows(a: Flow, b: Flow): Flow {
  if (a.ended) return b;
  if (b.ended) return a;
  return flowOf(a.stopped && b.stopped, a.regs && b.regs, false);
}
