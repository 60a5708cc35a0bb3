/**
 * Pieces several race rules build the same way: the related spans for the handlers on the other side of a race,
 * and the mechanical fixes that add a quiesce handler or a `barrier`.
 */
import type { Fix, RelatedSpan } from '../../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../../diagnostics/source.js';
import type { EngineModel, HandlerPath } from '../analysis/model.js';
import { finalRelated } from '../analysis/queries.js';

/** At most this many handlers are named as the other side of a race; more would bury the primary span. */
const MAX_RACING_HANDLERS = 3;

/** Related spans for the handler paths on the other side of a race, each labelled by `what`. */
export function racingHandlers(paths: readonly HandlerPath[], what: (hp: HandlerPath) => string): RelatedSpan[] {
  return paths.slice(0, MAX_RACING_HANDLERS).map((hp) => finalRelated(hp, what(hp)));
}

/**
 * A fix that puts `on quiesce when FLAG do ACTION` before the engine's first quiesce handler, so it wins over the
 * existing ones; undefined when the engine has no quiesce handler.
 */
export function guardedQuiesceFix(engine: EngineModel, flag: string, action: string, title: string): Fix | undefined {
  const firstQuiesce = engine.checked.handlersFor('quiesce')[0];
  if (firstQuiesce === undefined) return undefined;
  const at = firstQuiesce.node.span.start;
  return {
    title,
    applicability: 'unsafe',
    edits: [{ span: { start: at, end: at }, newText: `on quiesce when ${flag} do ${action}\n  ` }],
  };
}

/** A fix that adds handler lines right before the engine's closing brace; undefined when there is no brace. */
export function appendHandlersFix(
  engine: EngineModel,
  source: SourceFile,
  title: string,
  lines: string,
): Fix | undefined {
  const brace = source.text.lastIndexOf('}', engine.checked.node.span.end - 1);
  if (brace <= engine.checked.node.span.start) return undefined;
  return { title, applicability: 'unsafe', edits: [{ span: { start: brace, end: brace }, newText: lines }] };
}

/** A fix that appends `then barrier` to a call whose result is not matched. */
export function thenBarrierFix(call: Span, title: string): Fix {
  return {
    title,
    applicability: 'safe',
    edits: [{ span: { start: call.end, end: call.end }, newText: ' then barrier' }],
  };
}
