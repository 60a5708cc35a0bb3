/**
 * Renders diagnostics as stable JSON for editors, CI and scripts: `{ version, diagnostics, summary }`.
 *
 * Positions are given both as 1-based line/column (columns count UTF-16 code units, as LSP and JavaScript do) and
 * as 0-based UTF-16 offsets. The shape only grows: fields are added, never renamed or removed, within a `version`.
 */
import type { Diagnostic } from './diagnostic.js';
import type { SourceFile, Span } from './source.js';
import { countDiagnostics, type SourceLookup } from './render-text.js';

/** The version of the JSON shape; bumped only if a field changes meaning or disappears. */
export const JSON_FORMAT_VERSION = 1;

/** A position in a file. `line` and `column` are 1-based; `offset` is the 0-based UTF-16 offset. */
export interface JsonPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A range of a file; `end` is exclusive. */
export interface JsonRange {
  readonly start: JsonPosition;
  readonly end: JsonPosition;
}

/** A related location: the other side of a race, an earlier declaration. */
export interface JsonRelated extends JsonRange {
  readonly file: string;
  readonly message: string;
}

/** One replacement of a fix. */
export interface JsonEdit extends JsonRange {
  readonly newText: string;
}

/** One diagnostic. Optional parts are `null` when absent, so every object has the same keys. */
export interface JsonDiagnostic extends JsonRange {
  readonly code: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly file: string;
  readonly label: string | null;
  readonly related: readonly JsonRelated[];
  readonly notes: readonly string[];
  readonly help: string | null;
  readonly fix: {
    readonly title: string;
    readonly applicability: 'safe' | 'unsafe';
    readonly edits: readonly JsonEdit[];
  } | null;
}

/** The whole document. */
export interface JsonReport {
  readonly version: number;
  readonly diagnostics: readonly JsonDiagnostic[];
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
    readonly files: number;
  };
}

/** Builds the JSON document as a value (for library users who want objects, not text). */
export function toJsonReport(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  files: number = sources.size,
): JsonReport {
  return {
    version: JSON_FORMAT_VERSION,
    diagnostics: diagnostics.map((d) => toJsonDiagnostic(d, sources)),
    summary: { ...countDiagnostics(diagnostics), files },
  };
}

/** Renders the JSON document as text, pretty-printed, ending with a newline. */
export function renderJson(diagnostics: readonly Diagnostic[], sources: SourceLookup, files?: number): string {
  return JSON.stringify(toJsonReport(diagnostics, sources, files), null, 2) + '\n';
}

function toJsonDiagnostic(d: Diagnostic, sources: SourceLookup): JsonDiagnostic {
  const source = sources.get(d.file);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    ...range(source, d.span),
    label: d.label ?? null,
    related: d.related.map((r) => {
      const file = r.file ?? d.file;
      return { file, message: r.message, ...range(sources.get(file), r.span) };
    }),
    notes: [...d.notes],
    help: d.help ?? null,
    fix: d.fix
      ? {
          title: d.fix.title,
          applicability: d.fix.applicability,
          edits: d.fix.edits.map((e) => ({ ...range(source, e.span), newText: e.newText })),
        }
      : null,
  };
}

function range(source: SourceFile | undefined, span: Span): JsonRange {
  return { start: position(source, span.start), end: position(source, Math.max(span.end, span.start)) };
}

function position(source: SourceFile | undefined, offset: number): JsonPosition {
  if (!source) return { line: 0, column: 0, offset };
  const clamped = Math.max(0, Math.min(offset, source.text.length));
  return { ...source.lineCol(clamped), offset: clamped };
}
