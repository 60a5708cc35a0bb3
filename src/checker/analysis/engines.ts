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
import type { Path } from './paths.js';
import { callSpan, controlCalls } from './queries.js';

/** `attach E to T` as found in engine `from`. */
interface AttachSite {
  readonly from: EngineModel;
  readonly node: AttachStep;
  /** True for `attach E to task`: the engine goes onto the attaching engine's own task. */
  readonly sameTask: boolean;
}

/** All attach steps of the file. */
function attachSites(file: FileModel): AttachSite[] {
  const out: AttachSite[] = [];
  const seen = new Set<AttachStep>();
  for (const from of file.engines) {
    const visit = (p: Path): void => {
      for (const e of p.trace) {
        if (e.kind !== 'attach' || seen.has(e.node)) continue;
        seen.add(e.node);
        const t = e.node.task;
        const sameTask = t.kind === 'NameExpr' && from.checked.symbolOf(t)?.kind === 'task';
        out.push({ from, node: e.node, sameTask });
      }
    };
    for (const h of from.allHandlerPaths) visit(h.path);
    for (const c of from.controls) for (const p of c.paths) visit(p);
  }
  return out;
}

/** Per file: the attach sites, which engines are roots, and where each engine can stop the task. */
interface Sharing {
  readonly sites: readonly AttachSite[];
  readonly roots: ReadonlySet<EngineModel>;
  readonly stops: ReadonlyMap<EngineModel, Span>;
}

const SHARING = new WeakMap<FileModel, Sharing>();

function sharing(file: FileModel): Sharing {
  let s = SHARING.get(file);
  if (s === undefined) {
    const sites = attachSites(file);
    const targeted = new Set(sites.map((x) => x.node.engine.name));
    const stops = new Map<EngineModel, Span>();
    for (const e of file.engines) {
      const at = stopSite(e);
      if (at) stops.set(e, at);
    }
    s = { sites, roots: new Set(file.engines.filter((e) => !targeted.has(e.name))), stops };
    SHARING.set(file, s);
  }
  return s;
}

/** Every other engine of the file that may be attached to the same task as `engine` (linear in the file's size). */
export function sameTaskPeers(file: FileModel, engine: EngineModel): EngineModel[] {
  const { sites, roots } = sharing(file);
  const out = new Set<EngineModel>();
  if (roots.has(engine)) for (const e of file.engines) if (roots.has(e)) out.add(e);
  for (const e of attachPeers(file, engine, sites)) out.add(e);
  out.delete(engine);
  return [...out];
}

/**
 * The first other engine (in file order) that may be attached to the same task as `engine` and can stop it, with
 * where it stops; undefined when there is none. Computed from per-file tables, so asking for every engine is linear.
 */
export function stoppingPeer(file: FileModel, engine: EngineModel): { peer: EngineModel; span: Span } | undefined {
  const { sites, roots, stops } = sharing(file);
  const candidates: EngineModel[] = [];
  if (roots.has(engine)) {
    // All roots share the traced program's task; the first two stoppers are enough to find one that is not `engine`.
    let n = 0;
    for (const e of file.engines) {
      if (n >= 2) break;
      if (roots.has(e) && stops.has(e)) {
        candidates.push(e);
        n++;
      }
    }
  }
  for (const e of attachPeers(file, engine, sites)) candidates.push(e);
  for (const c of candidates) {
    const span = stops.get(c);
    if (c !== engine && span) return { peer: c, span };
  }
  return undefined;
}

/**
 * Engines the attach steps put on `engine`'s task, in site order (may repeat): those it attaches to its own task,
 * the one that attached it to its own task, and those attached with the same task expression as it.
 */
function attachPeers(file: FileModel, engine: EngineModel, sites: readonly AttachSite[]): EngineModel[] {
  const out: EngineModel[] = [];
  for (const s of sites) {
    if (!s.sameTask) continue;
    const target = file.byName.get(s.node.engine.name);
    if (target === undefined) continue;
    if (s.from === engine) out.push(target);
    if (target === engine) out.push(s.from);
  }
  for (const a of sites) {
    if (a.node.engine.name !== engine.name) continue;
    for (const b of sites) {
      if (a === b || a.from !== b.from || !sameText(a.node, b.node, file)) continue;
      const other = file.byName.get(b.node.engine.name);
      if (other) out.push(other);
    }
  }
  return out;
}

function sameText(a: AttachStep, b: AttachStep, file: FileModel): boolean {
  const t = file.checked.source.text;
  return t.slice(a.task.span.start, a.task.span.end) === t.slice(b.task.span.start, b.task.span.end);
}

/** Where an engine can stop the task: a handler returning `stop` or a control `stop`, first in source order. */
function stopSite(engine: EngineModel): Span | undefined {
  // The earliest start; among equal starts the first found (handlers before controls), as a stable sort gives.
  let first: Span | undefined;
  for (const hp of engine.allHandlerPaths) {
    const f = hp.final;
    if (f?.action === 'stop' && (first === undefined || f.span.start < first.start)) first = f.span;
  }
  for (const { ev } of controlCalls(engine)) {
    if (ev.call !== 'stop') continue;
    const span = callSpan(ev);
    if (first === undefined || span.start < first.start) first = span;
  }
  return first;
}
