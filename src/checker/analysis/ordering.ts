/**
 * "What does control code touch after a call that may still have a callback in flight, before a `barrier`?"
 * Shared by the detach and events rules: both are about a handler that can still run (once) after the call
 * returned, and the state it shares with the control code that follows.
 */
import type { EngineModel, HandlerAccess, HandlerPath } from './model.js';
import type { Path, ReadEvent, WriteEvent } from './paths.js';
import { after } from './queries.js';

/** A control-side access after the call that conflicts with a handler's access to the same state. */
export interface Conflict {
  /** The control code's access. */
  readonly control: ReadEvent | WriteEvent;
  /** A handler access it conflicts with (a write, or a read when the control code writes). */
  readonly handler: HandlerAccess<ReadEvent | WriteEvent>;
}

/**
 * The first conflicting accesses after `path.trace[index]`, up to the first `barrier`. Only handler paths that
 * `include` accepts count (e.g. the handlers of the events just removed).
 */
export function conflictsAfter(
  engine: EngineModel,
  path: Path,
  index: number,
  include: (hp: HandlerPath) => boolean = () => true,
): Conflict[] {
  const window = after(path, index, (e) => e.kind === 'call' && e.call === 'barrier');
  const out: Conflict[] = [];
  const seen = new Set<string>();
  for (const e of window) {
    if (e.kind !== 'read' && e.kind !== 'write') continue;
    if (seen.has(e.state)) continue;
    const writes = (engine.handlerWrites.get(e.state) ?? []).filter((a) => include(a.at));
    const reads = e.kind === 'write' ? (engine.handlerReads.get(e.state) ?? []).filter((a) => include(a.at)) : [];
    const h = writes[0] ?? reads[0];
    if (h === undefined) continue;
    seen.add(e.state);
    out.push({ control: e, handler: h });
  }
  return out;
}
