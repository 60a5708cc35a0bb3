/**
 * Small questions several rules ask of the engine model: how to name a handler path in a message, where a call
 * sits, which statuses it can go on with, which boolean flags a site holds.
 */
import type { Span } from '../../diagnostics/source.js';
import type { RelatedSpan } from '../../diagnostics/diagnostic.js';
import type { ControlCall } from '../types.js';
import type { ControlBody, EngineModel, HandlerPath } from './model.js';
import type { CallEvent, Path, PathEvent } from './paths.js';
import { trueFlags } from './paths.js';
import { termToString } from './conditions.js';

/** Calls that let a stopped task run again (or hand it back to utrace). */
export const RESUMING_CALLS: ReadonlySet<ControlCall> = new Set<ControlCall>([
  'resume',
  'report',
  'interrupt',
  'singlestep',
  'blockstep',
]);

/** How a message names a handler path: "`on quiesce when want_sample`" or "`on quiesce` (no guard holds)". */
export function handlerName(hp: HandlerPath, text: (s: Span) => string): string {
  if (hp.handler === undefined) return `\`on ${hp.event}\` (no guard holds)`;
  const g = hp.handler.node.guard;
  return g ? `\`on ${hp.event} when ${oneLine(text(g.span))}\`` : `\`on ${hp.event}\``;
}

/** The related span for a handler path's final action: "returns `resume` while `want_sample`". */
export function finalRelated(hp: HandlerPath, what: string): RelatedSpan {
  const span = hp.final?.span ?? hp.handler?.node.event.span ?? { start: 0, end: 0 };
  const cond = hp.path.assume.size > 0 ? ` when ${termToString(hp.path.assume)}` : '';
  const dflt = hp.handler === undefined ? ' (the default when no guard holds)' : '';
  return { span, message: `${what}${cond}${dflt}` };
}

/** How a message names a call: "`stop`", "`events -exec`", "`await stopped`". */
export function callName(ev: CallEvent, text: (s: Span) => string): string {
  if (ev.call === 'events') return `\`${oneLine(text(eventsHead(ev)))}\``;
  if (ev.call === 'await') return '`await stopped`';
  return `\`${ev.call}\``;
}

/** The span of a call's keyword (without its `match { … }`). */
export function callSpan(ev: CallEvent): Span {
  const n = ev.node;
  if (n.kind === 'EventsStep') return eventsHead(ev);
  if (n.kind === 'AwaitStep') {
    const end = n.within ? n.within.span.end : n.span.start + 'await stopped'.length;
    return { start: n.span.start, end };
  }
  const word = n.kind === 'BarrierStep' ? 'barrier' : n.action;
  return { start: n.span.start, end: n.span.start + word.length };
}

function eventsHead(ev: CallEvent): Span {
  const n = ev.node;
  if (n.kind !== 'EventsStep') return n.span;
  const last = n.changes[n.changes.length - 1];
  return { start: n.span.start, end: last ? last.span.end : n.span.start + 'events'.length };
}

/** The events after index `i` on a path, up to (not including) the first one `stop` says ends the window. */
export function after(path: Path, i: number, stop?: (e: PathEvent) => boolean): PathEvent[] {
  const out: PathEvent[] = [];
  for (let j = i + 1; j < path.trace.length; j++) {
    const e = path.trace[j] as PathEvent;
    if (stop?.(e)) break;
    out.push(e);
  }
  return out;
}

/** One call on one control path, with its body, path and position on the path. */
export interface ControlCallSite {
  readonly body: ControlBody;
  readonly path: Path;
  readonly index: number;
  readonly ev: CallEvent;
}

// Most rules scan every control call of every engine; the list is built once per engine model and shared, where
// a generator per rule allocated a fresh record per call for each of them.
const callSites = new WeakMap<EngineModel, readonly ControlCallSite[]>();

/** Every call on every control path, with its path and position, in body, path and trace order. */
export function controlCalls(engine: EngineModel): readonly ControlCallSite[] {
  const cached = callSites.get(engine);
  if (cached !== undefined) return cached;
  const out: ControlCallSite[] = [];
  for (const body of engine.controls) {
    for (const path of body.paths) {
      for (let index = 0; index < path.trace.length; index++) {
        const ev = path.trace[index] as PathEvent;
        if (ev.kind === 'call') out.push({ body, path, index, ev });
      }
    }
  }
  callSites.set(engine, out);
  return out;
}

/** Boolean state a handler path holds true when it reaches its final action. */
export function handlerFlagsTrue(hp: HandlerPath): string[] {
  return trueFlags(hp.path);
}

/** The engine's quiesce handler paths (empty when it has no `on quiesce`). */
export function quiescePaths(engine: EngineModel): readonly HandlerPath[] {
  return engine.hasHandler('quiesce') ? (engine.handlerPaths.get('quiesce') ?? []) : [];
}

/** What control code expects from a `stop` that may be pending: the flags it leaves set, and whether it awaits. */
export interface PendingExpectation {
  /** Boolean state set before the stop and not cleared by the control code afterwards on this path. */
  readonly wanted: readonly string[];
  /** The `await stopped` that follows on this path, if any. */
  readonly awaits?: CallEvent;
}

/**
 * For a `stop` call that may return `pending`: what the path expects to happen next, or undefined when nothing is
 * expected (a probe such as ptrace's check-attach, `pending => nothing` with no flag left set).
 */
export function pendingExpectation(path: Path, index: number, ev: CallEvent): PendingExpectation | undefined {
  if (ev.call !== 'stop' || !ev.statuses.includes('pending')) return undefined;
  // Clearing a flag before waiting withdraws the request; clearing it after `await stopped` consumes the stop.
  // One scan up to the first `await` (several rules ask this of every stop; no intermediate collections).
  const trace = path.trace;
  let end = index + 1;
  let awaits: CallEvent | undefined;
  for (; end < trace.length; end++) {
    const e = trace[end] as PathEvent;
    if (e.kind === 'call' && e.call === 'await') {
      awaits = e;
      break;
    }
  }
  const flags = ev.flagsTrue;
  let wanted = flags;
  for (let i = 0; i < flags.length; i++) {
    if (!writtenBetween(trace, index + 1, end, flags[i] as string)) continue;
    // Some flag is cleared: the list without the cleared ones.
    wanted = flags.filter((f) => !writtenBetween(trace, index + 1, end, f));
    break;
  }
  if (wanted.length === 0 && awaits === undefined) return undefined;
  return awaits ? { wanted, awaits } : { wanted };
}

function writtenBetween(trace: readonly PathEvent[], from: number, to: number, state: string): boolean {
  for (let j = from; j < to; j++) {
    const e = trace[j] as PathEvent;
    if (e.kind === 'write' && e.state === state) return true;
  }
  return false;
}

/** Text on one line, squeezed, for messages. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
