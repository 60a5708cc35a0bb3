/**
 * The tokens of `.utr` and the lexer built from them.
 *
 * Chevrotain's lexer tries token patterns in list order and takes the first that matches, so the order of
 * `ALL_TOKENS` is part of the language; every place where it matters says why. The parser runs the hand-written
 * lexer of `lexer.ts`, which follows the same order and is tested against the Chevrotain lexer built here.
 */
import { createToken, Lexer } from './chevrotain.js';
import type { CustomPatternMatcherReturn, Lexer as ChevrotainLexer, TokenType } from 'chevrotain';
import { scanStringEnd } from './strings.js';

// ---- Categories: abstract tokens the parser can CONSUME to accept any of their members. ----

/** Any word: an identifier or a keyword. Only used where a keyword cannot be meant, e.g. after `.`. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });
/** The seven resume actions, which are also the debugger-side control calls. */
export const ResumeAction = createToken({ name: 'ResumeAction', pattern: Lexer.NA, label: 'a resume action' });
/** Operators between two operands; precedence is applied when the AST is built (see `expressions.ts`). */
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA, label: 'an operator' });

// ---- Trivia ----

/** Spaces, tabs, line breaks, and the byte-order mark some Windows editors put at the top of a file. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\uFEFF]+/, group: Lexer.SKIPPED });
/** `#` to the end of the line. Kept (not skipped) because `# utr-allow …` comments are suppressions. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

// ---- Literals ----

export const StringLiteral = createToken({
  name: 'StringLiteral',
  label: 'a string',
  // A custom matcher because interpolations nest (`"{f("x")}"`), which a regular expression cannot follow.
  pattern: {
    exec: (text: string, offset: number): CustomPatternMatcherReturn | null =>
      text.charCodeAt(offset) === 34 ? [text.slice(offset, scanStringEnd(text, offset))] : null,
  },
  start_chars_hint: ['"'],
  line_breaks: false,
});

/** `10ms`: before `Integer`, which would otherwise take the `10` and leave `ms` as a name. */
export const Duration = createToken({
  name: 'Duration',
  label: 'a duration',
  pattern: /[0-9][0-9_]*(?:ns|us|ms|s|m|h)(?![A-Za-z0-9_])/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
});
/** Decimal or `0x` hex with `_` separators; must not run into letters (see `BadNumber`). */
export const Integer = createToken({
  name: 'Integer',
  label: 'an integer',
  pattern: /(?:0[xX][0-9A-Fa-f_]+|[0-9][0-9_]*)(?![A-Za-z0-9_])/,
  start_chars_hint: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
});
/**
 * A number running into letters (`10sec`, `0xZZ`, `12abc`): one token, so the parser reports one clear "invalid
 * number" instead of a number followed by a surprising name. After `Duration` and `Integer`.
 */
export const BadNumber = createToken({
  name: 'BadNumber',
  label: 'a number',
  pattern: /[0-9][A-Za-z0-9_]*/,
});

// ---- Punctuation: two-character operators before their one-character prefixes (`+=` before `+`). ----

export const PlusEq = createToken({ name: 'PlusEq', pattern: '+=', label: '`+=`' });
export const MinusEq = createToken({ name: 'MinusEq', pattern: '-=', label: '`-=`' });
export const Arrow = createToken({ name: 'Arrow', pattern: '=>', label: '`=>`' });
export const EqEq = createToken({ name: 'EqEq', pattern: '==', label: '`==`', categories: [BinaryOperator] });
export const NotEq = createToken({ name: 'NotEq', pattern: '!=', label: '`!=`', categories: [BinaryOperator] });
export const LtEq = createToken({ name: 'LtEq', pattern: '<=', label: '`<=`', categories: [BinaryOperator] });
export const GtEq = createToken({ name: 'GtEq', pattern: '>=', label: '`>=`', categories: [BinaryOperator] });
export const Lt = createToken({ name: 'Lt', pattern: '<', label: '`<`', categories: [BinaryOperator] });
export const Gt = createToken({ name: 'Gt', pattern: '>', label: '`>`', categories: [BinaryOperator] });
export const Eq = createToken({ name: 'Eq', pattern: '=', label: '`=`' });
export const Plus = createToken({ name: 'Plus', pattern: '+', label: '`+`', categories: [BinaryOperator] });
export const Minus = createToken({ name: 'Minus', pattern: '-', label: '`-`', categories: [BinaryOperator] });
export const Star = createToken({ name: 'Star', pattern: '*', label: '`*`', categories: [BinaryOperator] });
export const Slash = createToken({ name: 'Slash', pattern: '/', label: '`/`', categories: [BinaryOperator] });
export const Percent = createToken({ name: 'Percent', pattern: '%', label: '`%`', categories: [BinaryOperator] });
export const LParen = createToken({ name: 'LParen', pattern: '(', label: '`(`' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '`)`' });
export const LBrace = createToken({ name: 'LBrace', pattern: '{', label: '`{`' });
export const RBrace = createToken({ name: 'RBrace', pattern: '}', label: '`}`' });
export const LBracket = createToken({ name: 'LBracket', pattern: '[', label: '`[`' });
export const RBracket = createToken({ name: 'RBracket', pattern: ']', label: '`]`' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '`,`' });
export const Colon = createToken({ name: 'Colon', pattern: ':', label: '`:`' });
export const Dot = createToken({ name: 'Dot', pattern: '.', label: '`.`' });

// ---- Identifiers and keywords ----

/** After every keyword: keywords carry `longer_alt: Identifier` so `state_count` is a name, not `state` + `_count`. */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a name',
  categories: [Name],
});

function keyword(word: string, categories: TokenType[] = []): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: word,
    label: `\`${word}\``,
    longer_alt: Identifier,
    categories: [Name, ...categories],
  });
}

export const Arch = keyword('arch');
export const Engine = keyword('engine');
export const State = keyword('state');
export const On = keyword('on');
export const When = keyword('when');
export const Do = keyword('do');
export const Then = keyword('then');
export const Control = keyword('control');
export const Every = keyword('every');
export const Fetch = keyword('fetch');
export const Into = keyword('into');
export const Set = keyword('set');
export const Append = keyword('append');
export const To = keyword('to');
export const Emit = keyword('emit');
export const Attach = keyword('attach');
export const Events = keyword('events');
export const Barrier = keyword('barrier');
export const Nothing = keyword('nothing');
export const If = keyword('if');
export const Else = keyword('else');
export const Match = keyword('match');
export const Abort = keyword('abort');
export const Fate = keyword('fate');
export const Assert = keyword('assert');
export const Await = keyword('await');
export const Within = keyword('within');
export const In = keyword('in');
export const And = keyword('and', [BinaryOperator]);
export const Or = keyword('or', [BinaryOperator]);
export const Not = keyword('not');
export const True = keyword('true');
export const False = keyword('false');
export const Stop = keyword('stop', [ResumeAction]);
export const Interrupt = keyword('interrupt', [ResumeAction]);
export const Report = keyword('report', [ResumeAction]);
export const Singlestep = keyword('singlestep', [ResumeAction]);
export const Blockstep = keyword('blockstep', [ResumeAction]);
export const Resume = keyword('resume', [ResumeAction]);
export const Detach = keyword('detach', [ResumeAction]);

/** Every reserved word, in the order of the language reference. */
export const KEYWORD_TOKENS: readonly TokenType[] = [
  Arch,
  Engine,
  State,
  On,
  When,
  Do,
  Then,
  Control,
  Every,
  Fetch,
  Into,
  Set,
  Append,
  To,
  Emit,
  Attach,
  Events,
  Barrier,
  Nothing,
  If,
  Else,
  Match,
  Abort,
  Fate,
  Assert,
  Await,
  Within,
  In,
  And,
  Or,
  Not,
  True,
  False,
  Stop,
  Interrupt,
  Report,
  Singlestep,
  Blockstep,
  Resume,
  Detach,
];

/** The reserved words as text, for editors' grammars and for "did you mean" checks. */
export const KEYWORDS: readonly string[] = KEYWORD_TOKENS.map((t) => String(t.PATTERN));

/**
 * Never produced by the lexer: the nesting guard puts one in place of a group of brackets nested too deeply to parse
 * safely, so the parser sees a single operand there and reports nothing further about it.
 */
export const Unparsed = createToken({ name: 'Unparsed', pattern: Lexer.NA, label: 'an expression' });

/** The lexer's token list, in matching order. */
export const ALL_TOKENS: readonly TokenType[] = [
  // Whitespace and comments first: they are the most frequent and never start anything else.
  WhiteSpace,
  Comment,
  StringLiteral,
  // Duration before Integer before BadNumber: the longest well-formed reading wins, then the catch-all.
  Duration,
  Integer,
  BadNumber,
  // Two-character operators before the one-character ones they start with.
  PlusEq,
  MinusEq,
  Arrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Eq,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Dot,
  // Keywords before Identifier (each with `longer_alt: Identifier`), so `on` is a keyword but `once` a name.
  // Longest first: a keyword that is a prefix of another (`in` of `into` and `interrupt`, `not` of `nothing`)
  // would match first and its longer_alt would then turn the longer keyword into a plain name.
  ...[...KEYWORD_TOKENS].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  // Categories and the guard's token: never matched, but the parser must know them.
  Name,
  ResumeAction,
  BinaryOperator,
  Unparsed,
];

/**
 * Chevrotain's lexer for `.utr`, built from `ALL_TOKENS`: the specification of the hand-written lexer the parser runs
 * (`lexer.ts`), which a property test holds to producing the same tokens, comments and errors. Offsets only, because
 * `SourceFile` computes lines and columns on demand. `validate` checks the token definitions and that Chevrotain can
 * apply its first-character optimisation to every pattern.
 */
export function createUtrLexer(validate = false): ChevrotainLexer {
  return new Lexer(ALL_TOKENS as TokenType[], {
    positionTracking: 'onlyOffset',
    ensureOptimizations: validate,
    skipValidations: !validate,
  });
}
