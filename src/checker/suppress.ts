/**
 * Inline suppressions: `# utr-allow UTR3002: reason` silences the named diagnostics on the line it annotates.
 *
 * A comment alone on its line annotates the next line with code; a comment after code annotates its own line.
 * Several codes (or rule names) may be listed, comma-separated. The reason is required: a suppression is a claim
 * that the race cannot happen here, and the next reader needs to know why. Errors cannot be suppressed.
 */
import type { DiagnosticKind } from '../diagnostics/catalogue.js';
import { makeDiagnostic } from '../diagnostics/catalogue.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareDiagnostics } from '../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import { findRule } from './rules/index.js';

/** A comment as the parser keeps it: its text (with or without the leading `#`) and where it is. */
export interface SourceComment {
  readonly text: string;
  readonly span: Span;
}

/** The diagnostics suppressions themselves produce. */
export const SUPPRESSION_DIAGNOSTICS = {
  unusedSuppression: {
    code: 'UTR3900',
    name: 'unused-suppression',
    phase: 'race',
    severity: 'warning',
    summary:
      'A `# utr-allow` comment names a code that no diagnostic on its line has (or one that cannot be suppressed).',
  },
  suppressionWithoutReason: {
    code: 'UTR3901',
    name: 'suppression-without-reason',
    phase: 'race',
    severity: 'warning',
    summary: 'A `# utr-allow` comment gives no reason after the codes.',
  },
} as const satisfies Record<string, DiagnosticKind>;

/** One parsed `utr-allow` comment. */
export interface Suppression {
  readonly comment: SourceComment;
  /** The codes as written, each with the code it resolves to (the same string when it already is a code). */
  readonly codes: readonly { readonly written: string; readonly code: string }[];
  readonly reason: string;
  /** The one-based line whose diagnostics it silences. */
  readonly line: number;
}

const ALLOW = /^#?\s*utr-allow\b\s*(.*)$/;

/** Parses the `utr-allow` comments of a file. */
export function parseSuppressions(comments: readonly SourceComment[], file: SourceFile): Suppression[] {
  const out: Suppression[] = [];
  const commentLines = new Set(comments.map((c) => file.lineCol(c.span.start).line));
  for (const comment of comments) {
    const m = ALLOW.exec(comment.text.trim());
    if (!m) continue;
    const body = m[1] ?? '';
    const colon = body.indexOf(':');
    const list = colon >= 0 ? body.slice(0, colon) : body;
    const reason = colon >= 0 ? body.slice(colon + 1).trim() : '';
    const codes = list
      .split(/[\s,]+/)
      .filter((c) => c !== '')
      .map((written) => ({ written, code: findRule(written)?.meta.code ?? written.toUpperCase() }));
    const at = file.lineCol(comment.span.start);
    const before = file.lineText(at.line).slice(0, at.column - 1);
    let line = at.line;
    if (before.trim() === '') {
      // Alone on its line: it annotates the next line that holds code (skipping blank and comment lines).
      line = at.line + 1;
      while (line <= file.lineCount && (file.lineText(line).trim() === '' || commentLines.has(line))) line++;
    }
    out.push({ comment, codes, reason, line });
  }
  return out;
}

/** How to judge suppressions that match nothing. */
export interface SuppressionOptions {
  /**
   * Whether the check behind a code ran on this file. A suppression of a code whose check did not run (a race rule
   * turned off with `--no-rule`, or all race rules on a file with errors) is not reported as unused. Default: all ran.
   */
  readonly ran?: (code: string) => boolean;
}

/**
 * Drops the diagnostics a `utr-allow` comment silences and adds a warning for each suppression that silences
 * nothing or gives no reason. Returns a new sorted list; the input is not changed.
 */
export function applySuppressions(
  diagnostics: readonly Diagnostic[],
  comments: readonly SourceComment[],
  file: SourceFile,
  options: SuppressionOptions = {},
): Diagnostic[] {
  const suppressions = parseSuppressions(comments, file);
  if (suppressions.length === 0) return [...diagnostics];
  const used = new Set<string>();
  const byLine = new Map<number, Suppression[]>();
  for (const s of suppressions) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s]);
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    const line = d.file === file.path ? file.lineCol(d.span.start).line : -1;
    const match = (byLine.get(line) ?? []).find((s) => s.codes.some((c) => c.code === d.code));
    if (match && d.severity !== 'error') {
      used.add(`${match.comment.span.start}:${d.code}`);
      continue;
    }
    kept.push(d);
  }
  const K = SUPPRESSION_DIAGNOSTICS;
  for (const s of suppressions) {
    if (s.codes.length === 0) {
      kept.push(
        makeDiagnostic(K.unusedSuppression, file.path, {
          span: s.comment.span,
          message: '`utr-allow` names no code',
          help: 'write the codes to allow: `# utr-allow UTR3002: why this cannot race`',
        }),
      );
      continue;
    }
    for (const c of s.codes) {
      if (used.has(`${s.comment.span.start}:${c.code}`)) continue;
      if (options.ran && !options.ran(c.code)) continue;
      const isError = diagnostics.some(
        (d) => d.code === c.code && d.severity === 'error' && file.lineCol(d.span.start).line === s.line,
      );
      kept.push(
        makeDiagnostic(K.unusedSuppression, file.path, {
          span: s.comment.span,
          message: isError
            ? `\`${c.written}\` is an error here and cannot be suppressed`
            : `suppression of \`${c.written}\` matches no diagnostic on line ${s.line}`,
          help: isError ? 'fix the error instead' : 'remove the suppression, or move it to the line it is meant for',
        }),
      );
    }
    if (s.reason === '') {
      kept.push(
        makeDiagnostic(K.suppressionWithoutReason, file.path, {
          span: s.comment.span,
          message: `suppression of ${s.codes.map((c) => `\`${c.written}\``).join(', ')} gives no reason`,
          help: 'say why the race cannot happen: `# utr-allow UTR3002: the quiesce handler checks want_stop`',
        }),
      );
    }
  }
  return kept.sort(compareDiagnostics);
}
