/**
 * Renders diagnostics for people, in the rustc/Ruff layout users of compilers and linters already read fluently:
 *
 *     error[UTR2001]: unknown state `cals`
 *      --> engines/count.utr:4:34
 *       |
 *     4 |   on syscall_entry(call) do set cals[call.nr] += 1 then resume
 *       |                                  ^^^^ not declared in engine `syscount`
 *       |
 *       = help: did you mean `calls`?
 *
 * A pure function of the diagnostics and the source texts: no I/O, no terminal detection (the CLI decides colour).
 */
import type { Diagnostic, Fix, Severity } from './diagnostic.js';
import type { SourceFile, Span } from './source.js';

/** How to render: colour is off unless asked for; long source lines are windowed around the span. */
export interface TextRenderOptions {
  /** Emit ANSI colour escapes (the CLI turns this on for `--color always`, or `auto` on a terminal without `NO_COLOR`). */
  readonly color?: boolean;
  /** The widest source excerpt shown, in terminal columns; longer lines are cut around the span. Default 120. */
  readonly maxLineWidth?: number;
}

/** The source texts diagnostics point into, by the file name the diagnostics carry. */
export type SourceLookup = ReadonlyMap<string, SourceFile>;

/** Renders one diagnostic, ending with a newline. A diagnostic whose file is not in `sources` is shown without a snippet. */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup, options: TextRenderOptions = {}): string {
  const style = palette(options.color === true);
  const maxWidth = Math.max(20, options.maxLineWidth ?? 120);
  const source = sources.get(d.file);

  const snippets: { file: string; source: SourceFile | undefined; mark: Mark }[] = [
    { file: d.file, source, mark: { span: d.span, label: d.label, primary: true } },
    ...d.related.map((r) => {
      const file = r.file ?? d.file;
      return { file, source: sources.get(file), mark: { span: r.span, label: r.message, primary: false } };
    }),
  ];
  // One gutter width for the whole diagnostic, so every `|` lines up.
  const gutter = Math.max(
    1,
    ...snippets.map((s) => (s.source ? String(locate(s.source, s.mark.span).endLine).length : 1)),
  );
  const pad = ' '.repeat(gutter);
  const bar = style.gutter('|');

  const out: string[] = [];
  out.push(`${style.severity(d.severity, `${d.severity}[${d.code}]`)}${style.bold(`: ${oneLine(d.message)}`)}`);
  snippets.forEach((s, i) => {
    const arrow = i === 0 ? '-->' : ':::';
    if (i > 0) out.push(`${pad} ${bar}`);
    out.push(`${pad}${style.gutter(arrow)} ${location(s.file, s.source, s.mark.span)}`);
    if (!s.source) {
      // No text to show (a related span in a file we were not given): the location and message still say it all.
      if (!s.mark.primary && s.mark.label) out.push(`${pad} ${bar} ${style.secondary(oneLine(s.mark.label))}`);
      return;
    }
    out.push(`${pad} ${bar}`);
    for (const line of snippetLines(s.source, s.mark, d.severity, gutter, maxWidth, style)) out.push(line);
  });

  const tail = [
    ...d.notes.map((n) => footer('note', n)),
    ...(d.help !== undefined ? [footer('help', d.help)] : []),
    ...(d.fix ? [footer(fixHeading(d.fix), d.fix.title)] : []),
  ];
  if (tail.length > 0) {
    out.push(`${pad} ${bar}`);
    out.push(...tail);
  }
  return out.join('\n') + '\n';

  function footer(kind: string, text: string): string {
    // Continuation lines of a long note line up under its first word.
    const lead = `${pad} ${style.gutter('=')} `;
    const indent = ' '.repeat(gutter + 3 + kind.length + 2);
    const [first = '', ...rest] = text.split(/\r?\n/);
    return [`${lead}${style.bold(`${kind}:`)} ${clean(first)}`, ...rest.map((l) => `${indent}${clean(l)}`)].join('\n');
  }
}

/** Renders many diagnostics (in the order given), separated by blank lines. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
  options: TextRenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, sources, options)).join('\n');
}

/** Counts by severity. */
export interface DiagnosticCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Counts diagnostics by severity. */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): DiagnosticCounts {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** The summary line, e.g. `2 errors, 1 warning` or `no problems`; no trailing newline. */
export function renderSummary(diagnostics: readonly Diagnostic[], options: TextRenderOptions = {}): string {
  const style = palette(options.color === true);
  const { errors, warnings, infos } = countDiagnostics(diagnostics);
  const parts: string[] = [];
  if (errors > 0) parts.push(style.severity('error', plural(errors, 'error')));
  if (warnings > 0) parts.push(style.severity('warning', plural(warnings, 'warning')));
  if (infos > 0) parts.push(style.severity('info', `${infos} info`));
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fixHeading(fix: Fix): string {
  return fix.applicability === 'safe' ? 'fix' : 'fix (unsafe)';
}

// ---------------------------------------------------------------------------------------------------------------
// Locations and snippets

interface Mark {
  readonly span: Span;
  readonly label: string | undefined;
  readonly primary: boolean;
}

/** A span as lines and UTF-16 offsets within those lines (end exclusive). */
interface Located {
  readonly startLine: number;
  readonly startOff: number;
  readonly endLine: number;
  readonly endOff: number;
}

function locate(source: SourceFile, span: Span): Located {
  const len = source.text.length;
  const start = clamp(span.start, 0, len);
  const end = clamp(Math.max(span.end, start), 0, len);
  const s = source.lineCol(start);
  // A span that ends just after a line break belongs to the line before: do not show an empty extra line.
  const lastChar = end > start ? end - 1 : end;
  const e = source.lineCol(lastChar);
  const endLineText = source.lineText(e.line);
  const endOff = end > start ? Math.min(e.column - 1 + 1, endLineText.length) : e.column - 1;
  return { startLine: s.line, startOff: s.column - 1, endLine: e.line, endOff: Math.max(endOff, 0) };
}

function location(file: string, source: SourceFile | undefined, span: Span): string {
  if (!source) return file;
  const { line, column } = source.lineCol(span.start);
  return `${file}:${line}:${column}`;
}

function snippetLines(
  source: SourceFile,
  mark: Mark,
  severity: Severity,
  gutter: number,
  maxWidth: number,
  style: Palette,
): string[] {
  const loc = locate(source, mark.span);
  const pad = ' '.repeat(gutter);
  const bar = style.gutter('|');
  const num = (n: number): string => style.gutter(String(n).padStart(gutter));
  const paint = (s: string): string => (mark.primary ? style.severity(severity, s) : style.secondary(s));
  const caret = mark.primary ? '^' : '-';
  const label = mark.label ? ` ${oneLine(mark.label)}` : '';

  if (loc.startLine === loc.endLine) {
    const cells = toCells(source.lineText(loc.startLine));
    const from = columnAt(cells, loc.startOff);
    const to = Math.max(columnAt(cells, loc.endOff), from + 1);
    const w = windowLine(cells, from, to, maxWidth);
    const a = w.col(from);
    const b = Math.max(w.col(to), a + 1);
    return [
      `${num(loc.startLine)} ${bar} ${w.text}`.trimEnd(),
      `${pad} ${bar} ${' '.repeat(a)}${paint(caret.repeat(b - a) + label)}`,
    ];
  }

  // A span over several lines: a bracket in the margin joins its first and last character (rustc's layout).
  const out: string[] = [];
  const firstCells = toCells(source.lineText(loc.startLine));
  const startCol = columnAt(firstCells, loc.startOff);
  const indent = columnAt(firstCells, leadingSpace(source.lineText(loc.startLine)));
  const fw = windowLine(firstCells, startCol, startCol + 1, maxWidth);
  if (startCol <= indent) {
    // The span starts at the line's first token: the bracket can open on the source line itself.
    out.push(`${num(loc.startLine)} ${bar} ${paint('/')} ${fw.text}`.trimEnd());
  } else {
    out.push(`${num(loc.startLine)} ${bar}   ${fw.text}`.trimEnd());
    out.push(`${pad} ${bar} ${paint(' ' + '_'.repeat(fw.col(startCol) + 1) + caret)}`);
  }
  const shown: number[] = [];
  const count = loc.endLine - loc.startLine + 1;
  for (let l = loc.startLine + 1; l <= loc.endLine; l++) {
    // Long spans keep their first and last lines; the middle is elided.
    if (count > 6 && l > loc.startLine + 2 && l < loc.endLine - 1) {
      if (shown[shown.length - 1] !== -1) shown.push(-1);
      continue;
    }
    shown.push(l);
  }
  let endCol = 0;
  for (const l of shown) {
    if (l === -1) {
      out.push(`${' '.repeat(Math.max(gutter - 3, 0))}${style.gutter('...')}`);
      continue;
    }
    const cells = toCells(source.lineText(l));
    const focus = l === loc.endLine ? Math.max(columnAt(cells, loc.endOff) - 1, 0) : 0;
    const w = windowLine(cells, focus, focus + 1, maxWidth);
    if (l === loc.endLine) endCol = w.col(focus);
    out.push(`${num(l)} ${bar} ${paint('|')} ${w.text}`.trimEnd());
  }
  out.push(`${pad} ${bar} ${paint('|' + '_'.repeat(endCol + 1) + caret + label)}`);
  return out;
}

function leadingSpace(line: string): number {
  const m = /^[ \t]*/.exec(line);
  return m ? m[0].length : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Display width: tabs, wide characters and control characters

/** One displayed code point: what is printed, how many terminal columns it takes, and where it came from. */
interface Cell {
  readonly text: string;
  readonly width: number;
  /** UTF-16 offset within the line just after this code point. */
  readonly end: number;
}

const TAB = '    ';

function toCells(line: string): Cell[] {
  const cells: Cell[] = [];
  let offset = 0;
  for (const ch of line) {
    offset += ch.length;
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\t') cells.push({ text: TAB, width: TAB.length, end: offset });
    else if (cp < 0x20 || cp === 0x7f)
      // Never copy control characters to the terminal: an escape in a source file must not drive the user's tty.
      cells.push({ text: String.fromCodePoint(cp === 0x7f ? 0x2421 : 0x2400 + cp), width: 1, end: offset });
    else if (cp >= 0x80 && cp < 0xa0) cells.push({ text: '\ufffd', width: 1, end: offset });
    else cells.push({ text: ch, width: charWidth(cp, ch), end: offset });
  }
  return cells;
}

/** The terminal column (0-based) at which the code point starting at UTF-16 `offset` is drawn. */
function columnAt(cells: readonly Cell[], offset: number): number {
  let col = 0;
  for (const c of cells) {
    if (c.end > offset) break;
    col += c.width;
  }
  return col;
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;

function charWidth(cp: number, ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** A line as displayed, possibly cut to a window, with a map from original columns to displayed ones. */
interface Windowed {
  readonly text: string;
  col(original: number): number;
}

const ELLIPSIS = '...';

/** Cuts a line wider than `maxWidth` to a window that shows `[from, to)` with some context before it. */
function windowLine(cells: readonly Cell[], from: number, to: number, maxWidth: number): Windowed {
  const total = cells.reduce((n, c) => n + c.width, 0);
  if (total <= maxWidth) {
    return { text: cells.map((c) => c.text).join(''), col: (c) => c };
  }
  const context = Math.min(16, Math.floor(maxWidth / 4));
  const budget = maxWidth - 2 * ELLIPSIS.length;
  let left = Math.max(0, from - context);
  if (to - left <= budget) left = Math.max(0, Math.min(left, total - budget));
  const right = Math.min(total, left + budget);
  const prefix = left > 0 ? ELLIPSIS : '';
  let text = prefix;
  let col = 0;
  let shownLeft = -1;
  let shownRight = left;
  for (const c of cells) {
    const start = col;
    col += c.width;
    if (start >= left && col <= right) {
      if (shownLeft < 0) shownLeft = start;
      text += c.text;
      shownRight = col;
    }
  }
  if (shownLeft < 0) shownLeft = left;
  if (shownRight < total) text += ELLIPSIS;
  const offset = prefix.length - shownLeft;
  return {
    text,
    col: (c) => clamp(c + offset, prefix.length, prefix.length + (shownRight - shownLeft)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Colour

interface Palette {
  severity(sev: Severity, s: string): string;
  bold(s: string): string;
  gutter(s: string): string;
  secondary(s: string): string;
}

const SEVERITY_SGR: Record<Severity, string> = { error: '1;31', warning: '1;33', info: '1;36' };

function palette(color: boolean): Palette {
  if (!color) {
    const id = (s: string): string => s;
    return { severity: (_sev, s) => s, bold: id, gutter: id, secondary: id };
  }
  const sgr =
    (code: string) =>
    (s: string): string =>
      s.length === 0 ? s : `\x1b[${code}m${s}\x1b[0m`;
  return {
    severity: (sev, s) => sgr(SEVERITY_SGR[sev])(s),
    bold: sgr('1'),
    gutter: sgr('1;34'),
    secondary: sgr('34'),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** Messages and labels are one line by contract; a stray newline or control character is made harmless. */
function oneLine(s: string): string {
  return clean(s.replace(/\r?\n/g, ' '));
}

function clean(s: string): string {
  return toCells(s)
    .map((c) => c.text)
    .join('');
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(n, hi));
}
