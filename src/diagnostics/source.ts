/** A half-open range of UTF-16 offsets `[start, end)` into one source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A one-based line and column, the way editors and `file:line:col` show positions. */
export interface LineCol {
  readonly line: number;
  readonly column: number;
}

/** A source text with its name and a line index, so spans can be turned into lines and columns cheaply. */
export class SourceFile {
  readonly #lineStarts: readonly number[];

  constructor(
    /** The name shown to users: the path as given on the command line, or `<-e>` for a one-liner. */
    readonly path: string,
    readonly text: string,
  ) {
    this.#lineStarts = computeLineStarts(text);
  }

  /** The one-based line and column of an offset; offsets past the end clamp to the end. */
  lineCol(offset: number): LineCol {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.#lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - (starts[lo] ?? 0) + 1 };
  }

  /** The text of a one-based line, without its line terminator. */
  lineText(line: number): string {
    const start = this.#lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.#lineStarts[line];
    let end = next ?? this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  get lineCount(): number {
    return this.#lineStarts.length;
  }
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) starts.push(i + 1);
    else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

/** The smallest span covering both. */
export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
