/**
 * The fast path for well-formed files: a recursive-descent reader of the same grammar as `grammar.ts` that builds the
 * same AST, node for node, but gives up (returns `undefined`) at the first thing that is not plainly well formed.
 * `parse` then runs the Chevrotain parser, whose recovery and messages stay the only source of syntax diagnostics.
 *
 * Why: most files a tracer author checks are well formed, and for those Chevrotain's recovery bookkeeping (rule
 * stacks, lookahead functions, closures per rule call) was most of the parse time and much of its garbage. The fast
 * path does not even make token objects: it reads the lexer's `Scanner` directly, so a file's garbage is its AST.
 *
 * The contract, held by property tests against the Chevrotain parser (`test/parser/fast.test.ts`): whenever this
 * returns a program, the Chevrotain parser reports no diagnostic for the same text and builds an equal program. So it
 * gives up on anything the Chevrotain path would report: an unexpected token, a bad number, string or escape, a
 * `fetch`, `fate` or `await` the grammar's actions reject, chained comparisons, `not` in the wrong place, and
 * anything near a nesting limit (brackets over 32 deep, types over 16, strings over 4, expressions of over 128
 * tokens, `else if` chains over 128). Every decision below is the one Chevrotain's lookahead takes.
 */
import type { TokenType } from 'chevrotain';
import type {
  ArchDirective,
  BinaryOp,
  Block,
  ControlDecl,
  Engine,
  EventChange,
  Expr,
  Handler,
  Ident,
  IfStep,
  MatchArm,
  Member,
  Param,
  Pattern,
  ResumeActionName,
  StateDecl,
  Step,
  StringLit,
  TimerDecl,
  TypeRef,
} from './ast.js';
import { isSignalFate } from './ast.js';
import type { Span } from '../diagnostics/source.js';
import { BINARY_PRECEDENCE, MAX_EXPR_DEPTH, PREC_CMP, PREC_NOT, respan } from './expressions.js';
import { foldIfChain, MAX_TYPE_NESTING, type IfHead } from './grammar.js';
import { durationNanos, integerValue } from './literals.js';
import { Scanner } from './lexer.js';
import { MAX_NESTING } from './nesting.js';
import { decodeString, MAX_STRING_NESTING } from './strings.js';
import * as T from './tokens.js';

/** What the fast path read: the top of a file, as the grammar's `file` rule returns it, and the comments. */
export interface FastFile {
  readonly arch?: ArchDirective;
  readonly engines: Engine[];
  /** The start and end offsets of every comment, in pairs. */
  readonly comments: number[];
}

/** Thrown to give up; caught only by `fastParse`. */
class Declined {}
const DECLINED = new Declined();

/** Token types that can start an expression (the grammar's first set of `expr`, as far as the fast path reads it). */
const EXPR_START: ReadonlySet<TokenType> = new Set([
  T.Not,
  T.Minus,
  T.Integer,
  T.StringLiteral,
  T.True,
  T.False,
  T.Identifier,
  T.Duration,
  T.LParen,
]);

/** Token types that start a match arm's pattern. */
const PATTERN_START: ReadonlySet<TokenType> = new Set([T.Identifier, T.Integer, T.StringLiteral, T.True, T.False]);

/** What may follow `.`: any word, keywords included (the grammar's `Name` category). */
const NAMES: ReadonlySet<TokenType> = new Set([T.Identifier, ...T.KEYWORD_TOKENS]);

const ACTIONS: ReadonlyMap<TokenType, ResumeActionName> = new Map([
  [T.Stop, 'stop'],
  [T.Interrupt, 'interrupt'],
  [T.Report, 'report'],
  [T.Singlestep, 'singlestep'],
  [T.Blockstep, 'blockstep'],
  [T.Resume, 'resume'],
  [T.Detach, 'detach'],
]);

/**
 * Reads `text` as a whole file. Returns `undefined` when the file is not plainly well formed; then nothing about it is
 * known and the caller parses it the slow way.
 */
export function fastParse(text: string): FastFile | undefined {
  const comments: number[] = [];
  try {
    const reader = new Reader(new Scanner(text, 0, text.length, comments), 0, 1);
    const head = reader.file();
    return head.arch !== undefined
      ? { arch: head.arch, engines: head.engines, comments }
      : { engines: head.engines, comments };
  } catch (e) {
    if (e === DECLINED) return undefined;
    throw e;
  }
}

function isOpener(tt: TokenType | null | undefined): boolean {
  return tt === T.LParen || tt === T.LBracket || tt === T.LBrace;
}

function isCloser(tt: TokenType | null | undefined): boolean {
  return tt === T.RParen || tt === T.RBracket || tt === T.RBrace;
}

class Reader {
  private readonly text: string;
  /** The end of the last token read. */
  private prev: number;
  /** How deep in brackets the next token is. */
  private depth = 0;
  private typeDepth = 0;

  constructor(
    /** Positioned on the token to read next. */
    private readonly s: Scanner,
    /** Where the text being read starts: non-zero for an interpolation. */
    base: number,
    /** How deep in interpolations this reader is: 1 for the file. */
    private readonly stringDepth: number,
  ) {
    this.text = s.text;
    this.prev = base;
    s.next();
    if (s.type === null) throw DECLINED;
  }

  // ---- tokens ----

  private is(tt: TokenType): boolean {
    return this.s.type === tt;
  }

  /** Reads the current token; the nesting guard's limit applies as the guard would apply it. */
  private advance(): void {
    const s = this.s;
    if (isOpener(s.type)) {
      if (++this.depth > MAX_NESTING) throw DECLINED;
    } else if (isCloser(s.type)) this.depth--;
    this.prev = s.end;
    s.next();
    if (s.type === null) throw DECLINED;
  }

  /** Reads a token of type `tt` and returns where it starts; gives up on any other. */
  private take(tt: TokenType): number {
    const s = this.s;
    if (s.type !== tt) throw DECLINED;
    const start = s.start;
    this.advance();
    return start;
  }

  /** The type of the token `k` places after the current one. */
  private peek(k: number): TokenType | null | undefined {
    const ahead = new Scanner(this.text, this.s.end, this.s.to);
    for (let i = 0; i < k; i++) ahead.next();
    return ahead.type;
  }

  private spanFrom(start: number): Span {
    return { start, end: this.prev };
  }

  /** The name the token just read (which started at `start`) spells. */
  private identFrom(start: number): Ident {
    return { kind: 'Ident', span: { start, end: this.prev }, name: this.text.slice(start, this.prev) };
  }

  /** Reads an event name: a name, or `attach` or `detach` (keywords that are also the engine's own events). */
  private eventName(): Ident {
    const tt = this.s.type;
    if (tt !== T.Identifier && tt !== T.Attach && tt !== T.Detach) throw DECLINED;
    const start = this.s.start;
    this.advance();
    return this.identFrom(start);
  }

  // ---- file structure ----

  file(): { arch?: ArchDirective; engines: Engine[] } {
    let arch: ArchDirective | undefined;
    if (this.is(T.Arch)) {
      const start = this.s.start;
      this.advance();
      const name = this.identFrom(this.take(T.Identifier));
      arch = { kind: 'ArchDirective', span: this.spanFrom(start), name };
    }
    const engines: Engine[] = [];
    while (this.is(T.Engine)) engines.push(this.engine());
    if (this.s.type !== undefined) throw DECLINED;
    return arch !== undefined ? { arch, engines } : { engines };
  }

  private engine(): Engine {
    const start = this.s.start;
    this.advance();
    const name = this.identFrom(this.take(T.Identifier));
    this.take(T.LBrace);
    const members: Member[] = [];
    for (;;) {
      const tt = this.s.type;
      if (tt === T.State) members.push(this.state());
      else if (tt === T.On) members.push(this.handler());
      else if (tt === T.Control) members.push(this.control());
      else if (tt === T.Every) members.push(this.timer());
      else break;
    }
    this.take(T.RBrace);
    return { kind: 'Engine', span: this.spanFrom(start), name, members };
  }

  private state(): StateDecl {
    const start = this.s.start;
    this.advance();
    const name = this.identFrom(this.take(T.Identifier));
    this.take(T.Colon);
    const type = this.typeRef();
    let init: Expr | undefined;
    if (this.is(T.Eq)) {
      this.advance();
      init = this.expr();
    }
    const span = this.spanFrom(start);
    return init !== undefined ? { kind: 'StateDecl', span, name, type, init } : { kind: 'StateDecl', span, name, type };
  }

  private typeRef(): TypeRef {
    const start = this.take(T.Identifier);
    const name = this.identFrom(start);
    const args: TypeRef[] = [];
    if (this.is(T.Lt)) {
      // The grammar reports type arguments nested deeper than this.
      if (this.typeDepth >= MAX_TYPE_NESTING) throw DECLINED;
      this.typeDepth++;
      this.advance();
      args.push(this.typeRef());
      while (this.is(T.Comma)) {
        this.advance();
        args.push(this.typeRef());
      }
      this.take(T.Gt);
      this.typeDepth--;
    }
    return { kind: 'TypeRef', span: this.spanFrom(start), name, args };
  }

  private handler(): Handler {
    const start = this.s.start;
    this.advance();
    const event = this.eventName();
    let binding: Ident | undefined;
    let guard: Expr | undefined;
    if (this.is(T.LParen)) {
      this.advance();
      binding = this.identFrom(this.take(T.Identifier));
      this.take(T.RParen);
    }
    if (this.is(T.When)) {
      this.advance();
      guard = this.expr();
    }
    this.take(T.Do);
    const body = this.steps();
    return {
      kind: 'Handler',
      span: this.spanFrom(start),
      event,
      ...(binding !== undefined ? { binding } : {}),
      ...(guard !== undefined ? { guard } : {}),
      body,
    };
  }

  private control(): ControlDecl {
    const start = this.s.start;
    this.advance();
    const name = this.identFrom(this.take(T.Identifier));
    const params: Param[] = [];
    if (this.is(T.LParen)) {
      this.advance();
      if (this.is(T.Identifier)) {
        params.push(this.param());
        while (this.is(T.Comma)) {
          this.advance();
          params.push(this.param());
        }
      }
      this.take(T.RParen);
    }
    this.take(T.Do);
    const body = this.steps();
    return { kind: 'ControlDecl', span: this.spanFrom(start), name, params, body };
  }

  private param(): Param {
    const start = this.take(T.Identifier);
    const name = this.identFrom(start);
    this.take(T.Colon);
    const type = this.typeRef();
    return { kind: 'Param', span: this.spanFrom(start), name, type };
  }

  private timer(): TimerDecl {
    const start = this.s.start;
    this.advance();
    const period = this.expr();
    let guard: Expr | undefined;
    if (this.is(T.When)) {
      this.advance();
      guard = this.expr();
    }
    this.take(T.Do);
    const body = this.steps();
    const span = this.spanFrom(start);
    return guard !== undefined
      ? { kind: 'TimerDecl', span, period, guard, body }
      : { kind: 'TimerDecl', span, period, body };
  }

  // ---- steps ----

  private steps(): Block {
    const start = this.s.start;
    const list: Step[] = [this.step()];
    while (this.is(T.Then)) {
      this.advance();
      list.push(this.step());
    }
    return { kind: 'Block', span: this.spanFrom(start), steps: list };
  }

  private block(): Block {
    this.take(T.LBrace);
    const body = this.steps();
    this.take(T.RBrace);
    return body;
  }

  private step(): Step {
    const tt = this.s.type as TokenType;
    const start = this.s.start;
    const action = ACTIONS.get(tt);
    if (action !== undefined) {
      this.advance();
      const arms = this.is(T.Match) ? this.arms() : undefined;
      const span = this.spanFrom(start);
      return arms !== undefined ? { kind: 'ActionStep', span, action, arms } : { kind: 'ActionStep', span, action };
    }
    switch (tt) {
      case T.Fetch:
        return this.fetchStep();
      case T.Set: {
        this.advance();
        const target = this.expr();
        this.take(T.Eq);
        const value = this.expr();
        return { kind: 'SetStep', span: this.spanFrom(start), target, value };
      }
      case T.Append: {
        this.advance();
        const value = this.expr();
        this.take(T.To);
        const target = this.expr();
        return { kind: 'AppendStep', span: this.spanFrom(start), value, target };
      }
      case T.Emit: {
        this.advance();
        const value = this.expr();
        return { kind: 'EmitStep', span: this.spanFrom(start), value };
      }
      case T.Attach: {
        this.advance();
        const engine = this.identFrom(this.take(T.Identifier));
        this.take(T.To);
        const task = this.expr();
        return { kind: 'AttachStep', span: this.spanFrom(start), engine, task };
      }
      case T.Events:
        return this.eventsStep();
      case T.Barrier: {
        this.advance();
        const arms = this.is(T.Match) ? this.arms() : undefined;
        const span = this.spanFrom(start);
        return arms !== undefined ? { kind: 'BarrierStep', span, arms } : { kind: 'BarrierStep', span };
      }
      case T.Nothing:
        this.advance();
        return { kind: 'NothingStep', span: this.spanFrom(start) };
      case T.If:
        return this.ifStep();
      case T.Match: {
        this.advance();
        const subject = this.expr();
        this.take(T.LBrace);
        const arms = this.armList();
        this.take(T.RBrace);
        return { kind: 'MatchStep', span: this.spanFrom(start), subject, arms };
      }
      case T.Await:
        return this.awaitStep();
      case T.Abort:
        this.advance();
        return { kind: 'AbortStep', span: this.spanFrom(start) };
      case T.Fate:
        return this.fateStep();
      case T.Assert:
        return this.assertStep();
      default: {
        if (!EXPR_START.has(tt)) throw DECLINED;
        const target = this.expr();
        const op = this.s.type;
        if (op !== T.PlusEq && op !== T.MinusEq) throw DECLINED;
        this.advance();
        const value = this.expr();
        return {
          kind: 'UpdateStep',
          span: this.spanFrom(start),
          target,
          op: op === T.MinusEq ? '-=' : '+=',
          value,
        };
      }
    }
  }

  /** `fetch regs [into X]` | `fetch mem(ADDR, LEN) into X`; any other form is reported by the grammar. */
  private fetchStep(): Step {
    const start = this.s.start;
    this.advance();
    const whatStart = this.take(T.Identifier);
    const what = this.text.slice(whatStart, this.prev);
    const argList: Expr[] = [];
    let open = false;
    if (this.is(T.LParen)) {
      open = true;
      this.advance();
      if (EXPR_START.has(this.s.type as TokenType)) {
        argList.push(this.expr());
        while (this.is(T.Comma)) {
          this.advance();
          argList.push(this.expr());
        }
      }
      this.take(T.RParen);
    }
    let into: Expr | undefined;
    if (this.is(T.Into)) {
      this.advance();
      into = this.expr();
    }
    const span = this.spanFrom(start);
    if (what === 'regs' && !open) {
      return into !== undefined
        ? { kind: 'FetchStep', span, what: 'regs', into }
        : { kind: 'FetchStep', span, what: 'regs' };
    }
    if (what !== 'mem' || argList.length !== 2 || into === undefined) throw DECLINED;
    return { kind: 'FetchStep', span, what: 'mem', addr: argList[0] as Expr, len: argList[1] as Expr, into };
  }

  private eventsStep(): Step {
    const start = this.s.start;
    this.advance();
    const changes: EventChange[] = [];
    do changes.push(this.eventChange());
    while (this.is(T.Plus) || this.is(T.Minus));
    const arms = this.is(T.Match) ? this.arms() : undefined;
    const span = this.spanFrom(start);
    return arms !== undefined ? { kind: 'EventsStep', span, changes, arms } : { kind: 'EventsStep', span, changes };
  }

  private eventChange(): EventChange {
    const start = this.s.start;
    const sign = this.s.type;
    if (sign !== T.Plus && sign !== T.Minus) throw DECLINED;
    this.advance();
    const event = this.eventName();
    return { kind: 'EventChange', span: this.spanFrom(start), sign: sign === T.Minus ? '-' : '+', event };
  }

  /** `if C { … } (else if C { … })* [else { … }]`, as a loop like the grammar's. */
  private ifStep(): IfStep {
    const heads: IfHead[] = [];
    let start = this.s.start;
    this.advance();
    const cond = this.expr();
    const then = this.block();
    heads.push({ start, cond, then });
    let otherwise: Block | undefined;
    while (this.is(T.Else) && this.peek(1) === T.If) {
      this.advance();
      start = this.s.start;
      this.advance();
      const c = this.expr();
      const b = this.block();
      heads.push({ start, cond: c, then: b });
      // The grammar reports longer chains.
      if (heads.length > MAX_EXPR_DEPTH) throw DECLINED;
    }
    if (this.is(T.Else)) {
      this.advance();
      otherwise = this.block();
    }
    return foldIfChain(heads, otherwise, this.prev);
  }

  /** `match { arm+ }` after a control call. */
  private arms(): MatchArm[] {
    this.advance();
    this.take(T.LBrace);
    const list = this.armList();
    this.take(T.RBrace);
    return list;
  }

  private armList(): MatchArm[] {
    const list: MatchArm[] = [];
    do list.push(this.arm());
    while (PATTERN_START.has(this.s.type as TokenType));
    return list;
  }

  private arm(): MatchArm {
    const start = this.s.start;
    const patterns: Pattern[] = [this.pattern()];
    while (this.is(T.Comma)) {
      this.advance();
      patterns.push(this.pattern());
    }
    this.take(T.Arrow);
    const body = this.steps();
    const span = this.spanFrom(start);
    if (this.is(T.Comma)) this.advance();
    return { kind: 'MatchArm', span, patterns, body };
  }

  private pattern(): Pattern {
    if (this.is(T.Identifier)) {
      const name = this.identFrom(this.take(T.Identifier));
      return name.name === '_'
        ? { kind: 'WildcardPattern', span: name.span }
        : { kind: 'NamePattern', span: { start: name.span.start, end: name.span.end }, name };
    }
    const value = this.literal();
    if (value.kind !== 'IntLit' && value.kind !== 'StringLit' && value.kind !== 'BoolLit') throw DECLINED;
    return { kind: 'LiteralPattern', span: value.span, value };
  }

  private awaitStep(): Step {
    const start = this.s.start;
    this.advance();
    const whatStart = this.take(T.Identifier);
    if (this.text.slice(whatStart, this.prev) !== 'stopped') throw DECLINED;
    let within: Expr | undefined;
    if (this.is(T.Within)) {
      this.advance();
      within = this.expr();
    }
    const arms = this.is(T.Match) ? this.arms() : undefined;
    return {
      kind: 'AwaitStep',
      span: this.spanFrom(start),
      ...(within !== undefined ? { within } : {}),
      ...(arms !== undefined ? { arms } : {}),
    };
  }

  private fateStep(): Step {
    const start = this.s.start;
    this.advance();
    const tt = this.s.type;
    if (tt !== T.Stop && tt !== T.Identifier) throw DECLINED;
    const fateStart = this.s.start;
    this.advance();
    const fate = this.text.slice(fateStart, this.prev);
    if (!isSignalFate(fate)) throw DECLINED;
    const fateSpan = { start: fateStart, end: this.prev };
    return { kind: 'FateStep', span: this.spanFrom(start), fate, fateSpan };
  }

  private assertStep(): Step {
    const start = this.s.start;
    this.advance();
    const cond = this.expr();
    let message: StringLit | undefined;
    // In a match arm, `, "x" =>` after the condition starts the next arm, not the assertion's message.
    if (this.is(T.Comma)) {
      const third = this.peek(2);
      if (third !== T.Arrow && third !== T.Comma) {
        this.advance();
        if (!this.is(T.StringLiteral)) throw DECLINED;
        message = this.stringLit();
      }
    }
    const span = this.spanFrom(start);
    return message !== undefined ? { kind: 'AssertStep', span, cond, message } : { kind: 'AssertStep', span, cond };
  }

  // ---- expressions ----

  /**
   * An expression, with the precedence `buildExpression` gives the grammar's flat sequence. One of more than
   * `MAX_EXPR_DEPTH` tokens could be taller than the grammar allows (every node has a token of its own), so the
   * slow path decides about it.
   */
  expr(): Expr {
    // An expression inside another (an argument, an index) counts towards the enclosing one too.
    const outer = this.exprTokens;
    this.exprTokens = 0;
    const e = this.binary(0);
    const own = this.exprTokens;
    if (own > MAX_EXPR_DEPTH) throw DECLINED;
    this.exprTokens = outer + own;
    return e;
  }

  /** Tokens read so far by the expression being read (see `expr`). */
  private exprTokens = 0;

  /** `advance` for the tokens of an expression, which count towards its size. */
  private advanceInExpr(): void {
    this.exprTokens++;
    this.advance();
  }

  /** `take` for the tokens of an expression. */
  private takeInExpr(tt: TokenType): number {
    this.exprTokens++;
    return this.take(tt);
  }

  /** Operators of at least `minPrec`, left-associative; comparisons (and `in`) do not chain. */
  private binary(minPrec: number): Expr {
    let left = this.prefixed(minPrec);
    let compared = false;
    for (;;) {
      const tt = this.s.type;
      if (tt === T.In) {
        if (PREC_CMP < minPrec) break;
        if (compared) throw DECLINED;
        compared = true;
        this.advanceInExpr();
        this.takeInExpr(T.LBrace);
        const set: Expr[] = [this.expr()];
        while (this.is(T.Comma)) {
          this.advanceInExpr();
          set.push(this.expr());
        }
        this.takeInExpr(T.RBrace);
        left = { kind: 'InExpr', span: { start: left.span.start, end: this.prev }, value: left, set };
        continue;
      }
      const prec = tt === null || tt === undefined ? 0 : (BINARY_PRECEDENCE[tt.tokenTypeIdx as number] ?? 0);
      if (prec === 0 || prec < minPrec) break;
      if (prec === PREC_CMP) {
        if (compared) throw DECLINED;
        compared = true;
      }
      const opStart = this.s.start;
      this.advanceInExpr();
      const op = this.text.slice(opStart, this.prev) as BinaryOp;
      const right = this.binary(prec + 1);
      left = { kind: 'BinaryExpr', span: { start: left.span.start, end: right.span.end }, op, left, right };
    }
    return left;
  }

  /** `not`s over a comparison, or `-`s over an operand; `not` binds looser than comparisons, `-` tighter. */
  private prefixed(minPrec: number): Expr {
    const tt = this.s.type;
    if (tt !== T.Not && tt !== T.Minus) return this.operand();
    // `a == not b`: the grammar asks for parentheses.
    if (tt === T.Not && minPrec > PREC_NOT) throw DECLINED;
    const starts: number[] = [];
    while (this.s.type === tt) {
      starts.push(this.s.start);
      this.advanceInExpr();
    }
    // `- not x` needs parentheses too: `atom` gives up on `not`.
    let operand = tt === T.Not ? this.binary(PREC_NOT) : this.operand();
    const op = tt === T.Not ? 'not' : '-';
    for (let i = starts.length - 1; i >= 0; i--) {
      operand = { kind: 'UnaryExpr', span: { start: starts[i] as number, end: operand.span.end }, op, operand };
    }
    return operand;
  }

  /** An atom and its postfixes: `.NAME`, `[INDEX]`, `(ARGS)` (a call of a name only). */
  private operand(): Expr {
    let e = this.atom();
    for (;;) {
      const tt = this.s.type;
      if (tt === T.Dot) {
        this.advanceInExpr();
        if (!NAMES.has(this.s.type as TokenType)) throw DECLINED;
        const fieldStart = this.s.start;
        this.advanceInExpr();
        e = {
          kind: 'FieldExpr',
          span: { start: e.span.start, end: this.prev },
          object: e,
          field: this.identFrom(fieldStart),
        };
      } else if (tt === T.LBracket) {
        this.advanceInExpr();
        const index = this.expr();
        this.takeInExpr(T.RBracket);
        e = { kind: 'IndexExpr', span: { start: e.span.start, end: this.prev }, object: e, index };
      } else if (tt === T.LParen) {
        if (e.kind !== 'NameExpr') throw DECLINED;
        this.advanceInExpr();
        const args: Expr[] = [];
        if (EXPR_START.has(this.s.type as TokenType)) {
          args.push(this.expr());
          while (this.is(T.Comma)) {
            this.advanceInExpr();
            args.push(this.expr());
          }
        }
        this.takeInExpr(T.RParen);
        e = { kind: 'CallExpr', span: { start: e.span.start, end: this.prev }, callee: e.name, args };
      } else {
        return e;
      }
    }
  }

  private atom(): Expr {
    const start = this.s.start;
    switch (this.s.type) {
      case T.Identifier: {
        this.advanceInExpr();
        const span = { start, end: this.prev };
        return { kind: 'NameExpr', span, name: { kind: 'Ident', span, name: this.text.slice(start, this.prev) } };
      }
      case T.Duration: {
        this.advanceInExpr();
        const nanos = durationNanos(this.text.slice(start, this.prev));
        if (typeof nanos !== 'bigint') throw DECLINED;
        return { kind: 'DurationLit', span: { start, end: this.prev }, nanos };
      }
      case T.LParen: {
        this.advanceInExpr();
        const inner = this.expr();
        this.takeInExpr(T.RParen);
        // The node covers its parentheses, so an enclosing node's span ends at the `)`.
        return respan(inner, { start, end: this.prev });
      }
      default:
        return this.literal();
    }
  }

  private literal(): Expr {
    const start = this.s.start;
    switch (this.s.type) {
      case T.Integer: {
        this.advanceInExpr();
        const value = integerValue(this.text.slice(start, this.prev));
        if (typeof value !== 'bigint') throw DECLINED;
        return { kind: 'IntLit', span: { start, end: this.prev }, value };
      }
      case T.StringLiteral:
        return this.stringLit();
      case T.True:
        this.advanceInExpr();
        return { kind: 'BoolLit', span: { start, end: this.prev }, value: true };
      case T.False:
        this.advanceInExpr();
        return { kind: 'BoolLit', span: { start, end: this.prev }, value: false };
      default:
        throw DECLINED;
    }
  }

  /** Reads a string literal, its interpolations at once (each with a reader of its own). */
  private stringLit(): StringLit {
    const span = { start: this.s.start, end: this.s.end };
    this.advanceInExpr();
    const decoded = decodeString(this.text, span.start, span.end);
    if (decoded.problems.length > 0) throw DECLINED;
    const parts: (string | Expr)[] = [];
    for (const p of decoded.parts) {
      if (typeof p === 'string') {
        parts.push(p);
        continue;
      }
      // The driver reports interpolations nested deeper than this.
      if (this.stringDepth > MAX_STRING_NESTING) throw DECLINED;
      const reader = new Reader(new Scanner(this.text, p.start, p.end), p.start, this.stringDepth + 1);
      const e = reader.expr();
      if (reader.s.type !== undefined) throw DECLINED;
      parts.push(e);
    }
    return { kind: 'StringLit', span, parts };
  }
}
