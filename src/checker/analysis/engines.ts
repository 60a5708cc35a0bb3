/**
 * Which engines of a file may sit on the same task. utrace lets any number of engines attach to one task, and
 * their resume actions combine (the strongest wins), so one engine's `resume` does not mean the task runs.
 *
 * An engine no other engine attaches is a *root*: the host attaches it to the traced program, so all roots share
 * that task. `attach E to task` in engine P puts E on P's own task; two attaches written with the same task
 * expression in the same engine (`attach a to c.child then attach b to c.child`) put both on that task.
 */
import type { Span } from '../../diagnostics/source.js';
import type { AttachStep } from '../../parser/ast.js';
import type { EngineModel, FileModel } from './model.js';
import { callSpan, controlCalls } from './queries.js';

/** `attach E to T` as found in engine `from`. */
interface AttachSite {
  readonly from: EngineModel;
  readonly node: AttachStep;
  /** True for `attach E to task`: the engine goes onto the attaching engine's own task. */
  readonly sameTask: boolean;
}

/** All attach steps of the file. */
export function attachSites(file: FileModel): AttachSite[] {
  const out: AttachSite[] = [];
  const seen = new Set<AttachStep>();
  for (const from of file.engines) {
    const paths = [...from.allHandlerPaths.map((h) => h.path), ...from.controls.flatMap((c) => c.paths)];
    for (const p of paths) {
      for (const e of p.trace) {
        if (e.kind !== 'attach' || seen.has(e.node)) continue;
        seen.add(e.node);
        const t = e.node.task;
        const sameTask = t.kind === 'NameExpr' && from.checked.symbolOf(t)?.kind === 'task';
        out.push({ from, node: e.node, sameTask });
      }
    }
  }
  return out;
}

/** The other engines of the file that may be attached to the same task as `engine`. */
export function sameTaskPeers(file: FileModel, engine: EngineModel, sites = attachSites(file)): EngineModel[] {
  const targeted = new Set(sites.map((s) => s.node.engine.name));
  const isRoot = (e: EngineModel): boolean => !targeted.has(e.name);
  const peers = new Set<EngineModel>();
  for (const other of file.engines) {
    if (other === engine) continue;
    if (isRoot(engine) && isRoot(other)) peers.add(other);
  }
  for (const s of sites) {
    const target = file.byName.get(s.node.engine.name);
    if (target === undefined) continue;
    if (s.sameTask && s.from === engine && target !== engine) peers.add(target);
    if (s.sameTask && target === engine && s.from !== engine) peers.add(s.from);
  }
  for (const a of sites) {
    for (const b of sites) {
      if (a === b || a.from !== b.from || a.node.engine.name !== engine.name) continue;
      const sameExpr = a.node.task.span.end - a.node.task.span.start === b.node.task.span.end - b.node.task.span.start;
      const other = file.byName.get(b.node.engine.name);
      if (other && other !== engine && sameExpr && sameText(a.node, b.node, file)) peers.add(other);
    }
  }
  return [...peers];
}

function sameText(a: AttachStep, b: AttachStep, file: FileModel): boolean {
  const t = file.checked.source.text;
  return t.slice(a.task.span.start, a.task.span.end) === t.slice(b.task.span.start, b.task.span.end);
}

/** Where an engine can stop the task: a handler returning `stop` or a control `stop`, first in source order. */
export function stopSite(engine: EngineModel): Span | undefined {
  const spans: Span[] = [];
  for (const hp of engine.allHandlerPaths) if (hp.final?.action === 'stop') spans.push(hp.final.span);
  for (const { ev } of controlCalls(engine)) if (ev.call === 'stop') spans.push(callSpan(ev));
  spans.sort((a, b) => a.start - b.start);
  return spans[0];
}
