/**
 * Fixtures with their expected diagnostics written inline as caret comments (rust-analyzer style):
 *
 *     engine e {
 *       on syscal_entry do resume
 *     #    ^^^^^^^^^^^^ error UTR2001: unknown event `syscal_entry`
 *     }
 *
 * An annotation is a `#` comment line whose first non-space character after `#` is `^` (or `~`). It annotates the
 * nearest preceding line that is not an annotation; several annotation lines in a row all annotate that line.
 * - `^^^` marks columns: the diagnostic's span starts at the first caret's column and ends after the last one, on
 *   the annotated line. A span running onto later lines is marked from its start to the end of its first line.
 * - A single `^` at or past the end of the annotated line marks a zero-width span at the end of that line; a
 *   diagnostic at the end of the file counts as being at the end of the last line that is neither blank nor an
 *   annotation.
 * - `#~ error CODE: message` matches a diagnostic starting anywhere on the annotated line (for column 0, which no
 *   caret can reach, or when the exact span does not matter).
 * Messages must match exactly. Because annotations are comments, a fixture is still a valid `.utr` file.
 */
import assert from 'node:assert/strict';
import type { Diagnostic, Severity } from '../../src/diagnostics/diagnostic.js';
import { SourceFile } from '../../src/diagnostics/source.js';

/** One expected diagnostic read from an annotation line. */
export interface Annotation {
  /** Zero-based index of the annotated line. */
  readonly line: number;
  /** Zero-based column range on that line; `undefined` for `#~` (anywhere on the line). */
  readonly columns?: { readonly start: number; readonly end: number };
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** Zero-based index of the annotation line itself (for error messages). */
  readonly at: number;
}

const ANNOTATION = /^(\s*#\s*)(\^+|~)\s+(error|warning|info)\s+(UTR\d{4}):\s?(.*)$/;
const LOOKS_LIKE_ANNOTATION = /^\s*#\s*[\^~]/;

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Whether a line is an annotation (or malformed like one, which `readAnnotations` rejects). */
function isAnnotationLine(line: string): boolean {
  return LOOKS_LIKE_ANNOTATION.test(line);
}

/** Reads the annotations of a fixture; throws on a line that looks like an annotation but does not parse. */
export function readAnnotations(text: string): Annotation[] {
  const lines = splitLines(text);
  const out: Annotation[] = [];
  let target = -1;
  lines.forEach((line, i) => {
    if (!isAnnotationLine(line)) {
      target = i;
      return;
    }
    const m = ANNOTATION.exec(line);
    if (m === null) throw new Error(`line ${i + 1}: malformed annotation: ${line}`);
    if (target < 0) throw new Error(`line ${i + 1}: annotation before any line to annotate`);
    const [, lead = '', marks = '', severity = '', code = '', message = ''] = m;
    const base = { line: target, severity: severity as Severity, code, message: message.trimEnd(), at: i };
    out.push(marks === '~' ? base : { ...base, columns: { start: lead.length, end: lead.length + marks.length } });
  });
  return out;
}

/** Where a diagnostic lands in annotation terms: a line, a column range on it (end clipped to the line's end). */
interface Landing {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

function land(d: Diagnostic, file: SourceFile, lines: readonly string[]): Landing {
  const lastReal = (before: number): number => {
    let l = Math.min(before, lines.length - 1);
    while (l > 0 && (isAnnotationLine(lines[l] ?? '') || (lines[l] ?? '').trim() === '')) l--;
    return l;
  };
  if (d.span.start >= file.text.length) {
    const l = lastReal(lines.length - 1);
    const len = (lines[l] ?? '').length;
    return { line: l, start: len, end: len };
  }
  const s = file.lineCol(d.span.start);
  let line = s.line - 1;
  let col = s.column - 1;
  if (isAnnotationLine(lines[line] ?? '')) {
    // Inside a comment that is an annotation: only a zero-width "end of the line above" makes sense.
    line = lastReal(line);
    col = (lines[line] ?? '').length;
    return { line, start: col, end: col };
  }
  const e = file.lineCol(d.span.end);
  const len = (lines[line] ?? '').length;
  const end = e.line - 1 === line ? e.column - 1 : len;
  return { line, start: col, end: Math.max(end, col) };
}

function matches(a: Annotation, l: Landing, d: Diagnostic, lineLength: number): boolean {
  if (a.line !== l.line || a.code !== d.code || a.severity !== d.severity || a.message !== d.message) return false;
  if (a.columns === undefined) return true;
  if (l.start === l.end) return a.columns.start >= lineLength ? l.start === lineLength : false;
  return a.columns.start === l.start && a.columns.end === l.end;
}

function render(lines: readonly string[], byLine: Map<number, string[]>): string {
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (isAnnotationLine(line)) return;
    out.push(line);
    for (const a of byLine.get(i) ?? []) out.push(a);
  });
  return out.join('\n');
}

function caretLine(l: Landing, severity: string, code: string, message: string): string {
  const tail = `${severity} ${code}: ${message}`;
  // No caret can reach column 0 (the `#` is there): such diagnostics are written `#~`.
  if (l.start === 0) return `#~ ${tail}`;
  const width = Math.max(1, l.end - l.start);
  return `#${' '.repeat(l.start - 1)}${'^'.repeat(width)} ${tail}`;
}

/**
 * Asserts that `diagnostics` are exactly the ones annotated in `source` (the fixture text, or its `SourceFile`).
 * On a mismatch it fails with the fixture re-annotated with what was actually reported, as a line diff against the
 * expected annotations, so the fix is usually to copy the actual lines into the fixture.
 */
export function assertDiagnosticsMatch(diagnostics: readonly Diagnostic[], source: string | SourceFile): void {
  const file = typeof source === 'string' ? new SourceFile('<fixture>', source) : source;
  const lines = splitLines(file.text);
  const expected = readAnnotations(file.text);
  const used = new Set<Annotation>();
  const actualByLine = new Map<number, string[]>();
  const expectedByLine = new Map<number, string[]>();
  const push = (m: Map<number, string[]>, line: number, s: string): void => {
    const list = m.get(line) ?? [];
    list.push(s);
    m.set(line, list);
  };
  // Render expected annotations canonically, so spacing differences alone never fail a test.
  for (const a of expected) {
    const tail = `${a.severity} ${a.code}: ${a.message}`;
    const lineLength = (lines[a.line] ?? '').length;
    if (a.columns === undefined) push(expectedByLine, a.line, `#~ ${tail}`);
    else {
      const l =
        a.columns.start >= lineLength
          ? { line: a.line, start: lineLength, end: lineLength }
          : { line: a.line, ...a.columns };
      push(expectedByLine, a.line, caretLine(l, a.severity, a.code, a.message));
    }
  }
  const sorted = [...diagnostics].sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
  for (const d of sorted) {
    const l = land(d, file, lines);
    const lineLength = (lines[l.line] ?? '').length;
    const a = expected.find((x) => !used.has(x) && matches(x, l, d, lineLength));
    if (a !== undefined) used.add(a);
    const rendered =
      a?.columns === undefined && a !== undefined
        ? `#~ ${d.severity} ${d.code}: ${d.message}`
        : caretLine(l, d.severity, d.code, d.message);
    push(actualByLine, l.line, rendered);
  }
  // Order each line's annotations the same way on both sides (by column, then text), so only real differences show.
  const column = (a: string): number => (a.startsWith('#~') ? -1 : a.indexOf('^'));
  const byColumn = (a: string, b: string): number => column(a) - column(b) || (a < b ? -1 : a > b ? 1 : 0);
  for (const m of [actualByLine, expectedByLine]) for (const list of m.values()) list.sort(byColumn);
  const actualText = render(lines, actualByLine);
  const expectedText = render(lines, expectedByLine);
  assert.equal(actualText, expectedText, `diagnostics differ from the annotations in ${file.path}`);
}
