/**
 * The parser's entry point: source text in, a whole `Program` plus syntax diagnostics and comments out. It never
 * throws on any input, and reports every syntax error it can find in one run (up to `MAX_SYNTAX_DIAGNOSTICS`).
 */
import { EOF } from './chevrotain.js';
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { ArchDirective, Engine, Expr, Program } from './ast.js';
import type { Diagnostic, Fix } from '../diagnostics/diagnostic.js';
import { makeDiagnostic, type DiagnosticKind } from '../diagnostics/catalogue.js';
import type { SourceFile, Span } from '../diagnostics/source.js';
import * as D from './diagnostics.js';
import { UtrParser, type ActionProblem, type MissingTokenError, type PendingInterpolation } from './grammar.js';
import { fastParse, type FastFile } from './fast.js';
import { guardNesting, MAX_NESTING } from './nesting.js';
import { MAX_STRING_NESTING } from './strings.js';
import { utrLexer } from './lexer.js';
import { Arch, Control, Every, On, Slash, State, Unparsed } from './tokens.js';

export { SYNTAX_DIAGNOSTICS } from './diagnostics.js';
export { KEYWORDS } from './tokens.js';

/** A `#` comment, kept because `# utr-allow CODE: reason` suppresses a diagnostic on the next line. */
export interface Comment {
  /** The comment's text including the leading `#`. */
  readonly text: string;
  readonly span: Span;
}

/** What `parse` returns: always a program, even for broken input. */
export interface ParseResult {
  readonly program: Program;
  /** Syntax diagnostics (`UTR1xxx`) in source order. Empty when the text is well formed. */
  readonly diagnostics: Diagnostic[];
  /** Every comment, in source order. */
  readonly comments: Comment[];
}

/** At most this many syntax diagnostics are listed; one more says how many were left out. */
export const MAX_SYNTAX_DIAGNOSTICS = 100;

const MEMBER_STARTS: ReadonlySet<unknown> = new Set([On, State, Control, Every]);

let shared: UtrParser | undefined;

/** The parser instance, built on first use: building one analyses the grammar, which takes a while. */
function parser(): UtrParser {
  shared ??= new UtrParser();
  return shared;
}

/** A syntax problem before it becomes a `Diagnostic`: a grammar action's problem, or Chevrotain's with a fix. */
interface RawDiagnostic extends ActionProblem {
  readonly fix?: Fix;
}

/**
 * For a missing keyword or punctuation: inserting it. Shown, never applied unasked ("unsafe"): the token may be
 * missing, or the one found may be the mistake.
 */
function insertionFix(e: IRecognitionException, span: Span): Fix | undefined {
  const expected = (e as MissingTokenError).expectedToken;
  const text = expected?.PATTERN;
  if (typeof text !== 'string') return undefined;
  const atEnd = e.token.tokenType === EOF || span.start === span.end;
  return {
    title: `insert \`${text}\``,
    applicability: 'unsafe',
    edits: [{ span: { start: span.start, end: span.start }, newText: atEnd ? ` ${text}` : `${text} ` }],
  };
}

/** Parses a `.utr` file. */
export function parse(source: SourceFile): ParseResult {
  const text = source.text;
  let head: FastFile | undefined;
  try {
    head = fastParse(text);
  } catch {
    // A fault in the fast path must cost time, never a result: the full parser reads the file from scratch.
    head = undefined;
  }
  if (head !== undefined) {
    const comments: Comment[] = [];
    for (let k = 0; k < head.comments.length; k += 2) {
      const start = head.comments[k] as number;
      const end = head.comments[k + 1] as number;
      comments.push({ text: text.slice(start, end), span: { start, end } });
    }
    return { program: programOf(text, head.arch, head.engines), diagnostics: [], comments };
  }
  return parseWithRecovery(source);
}

function programOf(text: string, arch: ArchDirective | undefined, engines: Engine[]): Program {
  return {
    kind: 'Program',
    span: { start: 0, end: text.length },
    ...(arch !== undefined ? { arch } : {}),
    engines,
  };
}

/**
 * Parses a `.utr` file with the Chevrotain parser alone, never the fast path: what `parse` does with a file the fast
 * path gives up on (one with syntax errors). Exported for the tests that hold the two paths to the same result.
 */
export function parseWithRecovery(source: SourceFile): ParseResult {
  const text = source.text;
  const raw: RawDiagnostic[] = [];
  const p = parser();

  const lexed = utrLexer.tokenize(text);
  for (const e of lexed.errors) raw.push(lexingDiagnostic(e, text));
  const comments: Comment[] = lexed.groups.comments.map((t) => ({
    text: t.image,
    span: { start: t.startOffset, end: t.startOffset + t.image.length },
  }));
  const guarded = guardNesting(lexed.tokens, text);
  const cuts = [...guarded.cut];

  p.sourceText = text;
  p.reset_(guarded.tokens, 0, text.length, 'the end of the file');
  const pending: { item: PendingInterpolation; depth: number }[] = [];
  const problems: ActionProblem[] = [];
  // Chevrotain's errors, with their spans worked out while the parse they belong to is current.
  const errors: { e: IRecognitionException; span: Span; help: { help?: string } }[] = [];

  const head = p.file();
  const engines = [...head.engines];
  let arch = head.arch;
  collect();
  while (!p.atEnd()) {
    // `file` stopped at something that is not `engine`: reported by Chevrotain as unparsed input. Skip it, go on.
    p.skipToEngine();
    if (p.atEnd()) break;
    const more = p.file();
    engines.push(...more.engines);
    if (more.arch !== undefined) {
      problems.push({
        kind: D.MISPLACED_ARCH,
        span: more.arch.span,
        message: arch === undefined ? '`arch` must come before the first engine' : '`arch` is given twice',
      });
      arch ??= more.arch;
    }
    collect();
  }
  pending.push(...p.pending.map((item) => ({ item, depth: 1 })));
  p.pending = [];

  // Interpolations, outermost first; a string inside an interpolation queues its own parts in turn.
  for (let k = 0; k < pending.length; k++) {
    const { item, depth } = pending[k] as (typeof pending)[number];
    const segSpan = { start: item.start, end: item.end };
    if (depth > MAX_STRING_NESTING) {
      raw.push({
        kind: D.NESTING_TOO_DEEP,
        span: segSpan,
        message: `strings are nested more than ${MAX_STRING_NESTING} levels deep`,
      });
      continue;
    }
    const segLexed = utrLexer.tokenize(text, item.start, item.end);
    for (const e of segLexed.errors) raw.push(lexingDiagnostic(e, text));
    const segGuarded = guardNesting(segLexed.tokens, text);
    cuts.push(...segGuarded.cut);
    p.reset_(segGuarded.tokens, item.start, item.end, 'the end of the interpolation');
    const e: Expr | undefined = p.interpolation();
    collect();
    item.parts[item.index] = e ?? { kind: 'ErrorExpr', span: segSpan };
    for (const next of p.pending) pending.push({ item: next, depth: depth + 1 });
    p.pending = [];
  }

  for (const c of cuts) {
    raw.push({
      kind: D.NESTING_TOO_DEEP,
      span: c.span,
      message: `brackets are nested more than ${MAX_NESTING} levels deep`,
      help: 'split the expression, e.g. into several steps',
    });
  }
  // Errors inside or after an unclosed over-deep group are consequences of cutting it out.
  const unclosedFrom = Math.min(...cuts.filter((c) => c.unclosed).map((c) => c.span.start));
  for (const { e, span, help } of errors) {
    // An error about a cut-out group, or after one that never closed, is a consequence of cutting it out.
    if (e.token.tokenType === Unparsed) continue;
    if (span.start >= unclosedFrom) continue;
    const kind = errorKind(e);
    const fix = kind === D.EXPECTED_TOKEN ? insertionFix(e, span) : undefined;
    raw.push({ kind, span, message: e.message, ...help, ...(fix !== undefined ? { fix } : {}) });
  }
  for (const pr of problems) raw.push(pr);

  // The shared parser would otherwise keep this file's tokens and text alive until the next parse.
  p.reset_([], 0, 0, 'the end of the file');
  p.sourceText = undefined;

  return { program: programOf(text, arch, engines), diagnostics: finish(raw, source), comments };

  function collect(): void {
    for (const e of p.errors) errors.push({ e, span: exceptionSpan(e), help: errorHelp(e) });
    p.errors = [];
    problems.push(...p.problems);
    p.problems = [];
  }

  /** The code of a Chevrotain error: a missing token, or one that cannot start anything here (skipped). */
  function errorKind(e: IRecognitionException): DiagnosticKind {
    if (e.token.tokenType === Arch) return D.MISPLACED_ARCH;
    const rules = e.context.ruleStack;
    // Junk at the top level, or between members: Chevrotain reports it as a mismatch of what would end the list.
    if (rules.length <= 1) return D.UNEXPECTED_TOKEN;
    if (rules.at(-1) === 'engine' && e.message.startsWith('expected a member')) return D.UNEXPECTED_TOKEN;
    return e.name === 'MismatchedTokenException' ? D.EXPECTED_TOKEN : D.UNEXPECTED_TOKEN;
  }

  /** Help for the mistakes people coming from other languages make. */
  function errorHelp(e: IRecognitionException): { help?: string } {
    const t = e.token;
    if (t.tokenType === Slash) {
      const next = p.input.find((x) => x.startOffset === t.startOffset + 1);
      if (next?.tokenType === Slash) return { help: 'comments start with `#`' };
    }
    if (MEMBER_STARTS.has(t.tokenType) && e.context.ruleStack.length <= 1) {
      return { help: 'members belong inside an engine: `engine NAME { … }`' };
    }
    return {};
  }

  /** Where a Chevrotain error points: the offending token, or just after the last token at the end of input. */
  function exceptionSpan(e: IRecognitionException): Span {
    const t: IToken = e.token;
    if (t.tokenType !== EOF && !Number.isNaN(t.startOffset))
      return { start: t.startOffset, end: t.startOffset + t.image.length };
    // At the end of an interpolation: point at its closing `}`.
    if (p.endOffset < text.length && text[p.endOffset] === '}' && p.baseOffset > 0) {
      return { start: p.endOffset, end: p.endOffset + 1 };
    }
    const input = p.input;
    const last = input[input.length - 1];
    const end =
      last !== undefined && !Number.isNaN(last.startOffset) ? last.startOffset + last.image.length : p.endOffset;
    return { start: end, end };
  }
}

function lexingDiagnostic(e: ILexingError, text: string): RawDiagnostic {
  const start = e.offset;
  const chars = [...text.slice(start, start + e.length)];
  const printable = chars.every((c) => !isInvisible(c) && c !== '`');
  const head = chars.slice(0, 8);
  const more = chars.length > 8 ? '…' : '';
  const shown = printable ? `\`${head.join('')}${more}\`` : `${head.map(codePoint).join(' ')}${more}`;
  return {
    kind: D.UNEXPECTED_CHARACTER,
    span: { start, end: start + e.length },
    message: chars.length === 1 ? `unexpected character ${shown}` : `unexpected characters ${shown}`,
    ...(chars[0] === '/' ? { help: 'comments start with `#`' } : {}),
  };
}

/** Control characters, odd spaces and the replacement character would print as nothing useful. */
function isInvisible(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfffd || /\s/u.test(ch);
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Sorts, removes duplicates, caps the list, and makes the diagnostics. */
function finish(raw: RawDiagnostic[], source: SourceFile): Diagnostic[] {
  raw.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const seen = new Set<string>();
  const unique: RawDiagnostic[] = [];
  for (const r of raw) {
    const key = `${r.span.start}:${r.span.end}:${r.kind.code}:${r.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(r);
  }
  const shown = unique.slice(0, MAX_SYNTAX_DIAGNOSTICS);
  const out = shown.map((r) =>
    makeDiagnostic(r.kind, source.path, {
      span: r.span,
      message: r.message,
      ...(r.help !== undefined ? { help: r.help } : {}),
      ...(r.fix !== undefined ? { fix: r.fix } : {}),
    }),
  );
  const hidden = unique.length - shown.length;
  if (hidden > 0) {
    const at = (unique[MAX_SYNTAX_DIAGNOSTICS] as RawDiagnostic).span;
    out.push(
      makeDiagnostic(D.TOO_MANY_ERRORS, source.path, {
        span: { start: at.start, end: at.start },
        message: `${hidden} more syntax ${hidden === 1 ? 'error is' : 'errors are'} not shown`,
        help: 'fix the errors above first; many of the rest are often consequences',
      }),
    );
  }
  return out;
}
