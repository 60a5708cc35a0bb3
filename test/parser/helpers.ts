/** Small helpers shared by the parser tests. */
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse, type ParseResult } from '../../src/parser/index.js';

/** Parses `text` as a file named `test.utr`. */
export function parseText(text: string): ParseResult {
  return parse(new SourceFile('test.utr', text));
}

/** Parses `text` and fails with the diagnostics when there are any. */
export function parseClean(text: string): ParseResult {
  const r = parseText(text);
  if (r.diagnostics.length > 0) {
    throw new Error(`unexpected syntax diagnostics:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  }
  return r;
}

/** The text a span covers. */
export function spanText(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}
