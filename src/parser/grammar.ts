/**
 * The Chevrotain grammar of `.utr`, with embedded actions that build the AST of `ast.ts` directly (no CST), which is
 * the faster of Chevrotain's two styles. `grammar/utr.ebnf` is the same grammar for people; `npm run gen` draws this
 * one as railroad diagrams. Well-formed files are read by the fast path of `fast.ts` instead, which must take the
 * same decisions and build the same nodes: a change here is a change there (`test/parser/fast.test.ts` compares).
 *
 * Chevrotain runs every rule once at construction in a "recording phase" with placeholder results, so actions that
 * read a sub-rule's result or a token's offset are guarded by `this.RECORDING_PHASE` or run in `ACTION`.
 *
 * Recovery: Chevrotain's single-token insertion and deletion stay on (a missing `do` is reported and parsing goes
 * on), but its follow-set resynchronisation is off, because it stops at the first name or `}` of an inner rule and
 * then reports a cascade. Instead an error anywhere in a member abandons that member and skips to the next member
 * keyword (`state`, `on`, `control`, `every`) or the engine's closing brace, counting braces on the way.
 */
import { createTokenInstance, EmbeddedActionsParser, EOF, isRecognitionException, tokenMatcher } from './chevrotain.js';
import type {
  EmbeddedActionsParser as ChevrotainParser,
  IOrAlt,
  IRecognitionException,
  IToken,
  OrMethodOpts,
  TokenType,
} from 'chevrotain';
import type {
  ActionStep,
  ArchDirective,
  Block,
  ControlDecl,
  Engine,
  EventChange,
  Expr,
  FateStep,
  FetchStep,
  Handler,
  Ident,
  IfStep,
  MatchArm,
  Member,
  Param,
  Pattern,
  ResumeActionName,
  SignalFate,
  StateDecl,
  Step,
  StringLit,
  TimerDecl,
  TypeRef,
} from './ast.js';
import { isSignalFate, RESUME_ACTIONS, SIGNAL_FATES } from './ast.js';
import type { Span } from '../diagnostics/source.js';
import type { DiagnosticKind } from '../diagnostics/catalogue.js';
import { buildExpression, MAX_EXPR_DEPTH, respan, type ExprItem, type ExprProblem } from './expressions.js';
import { makeErrorMessageProvider, type ParseHints } from './messages.js';
import * as D from './diagnostics.js';
import * as T from './tokens.js';
import { decodeString } from './strings.js';
import { DURATION_UNIT_WORDS, durationNanos, integerValue, wordsOr } from './literals.js';

/** A problem found by a grammar action (not by Chevrotain itself), in the parser's own terms. */
export interface ActionProblem {
  readonly kind: DiagnosticKind;
  readonly span: Span;
  readonly message: string;
  readonly help?: string;
}

/** A string's `{…}` part waiting to be parsed: `parts[index]` is replaced by the expression. */
export interface PendingInterpolation {
  readonly parts: (string | Expr)[];
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** The top of a file: what `file` returns. */
export interface FileHead {
  readonly arch?: ArchDirective;
  readonly engines: Engine[];
}

const NO_TOKENS: readonly IToken[] = [];
const MEMBER_KEYWORDS: ReadonlySet<TokenType> = new Set([T.On, T.State, T.Control, T.Every]);
const ACTIONS: ReadonlySet<string> = new Set(RESUME_ACTIONS);
/** How deep type arguments may nest (`list<list<…>>`). */
export const MAX_TYPE_NESTING = 16;

/** One `if COND BLOCK` or `else if COND BLOCK` of a chain, from its keyword on. */
export interface IfHead {
  readonly start: number;
  readonly cond: Expr;
  readonly then: Block;
}

/**
 * An `if … else if … else` chain as the AST has it: each `else if` an `IfStep` nested in the previous one's `else`,
 * every one spanning from its own keyword to the chain's `end`. Shared by the grammar and the fast path. `heads` is
 * never empty.
 */
export function foldIfChain(heads: readonly IfHead[], otherwise: Block | undefined, end: number): IfStep {
  let result: IfStep | undefined;
  for (let i = heads.length - 1; i >= 0; i--) {
    const h = heads[i] as IfHead;
    const tail: Block | IfStep | undefined = result ?? otherwise;
    const span = { start: h.start, end };
    result =
      tail !== undefined
        ? { kind: 'IfStep', span, cond: h.cond, then: h.then, else: tail }
        : { kind: 'IfStep', span, cond: h.cond, then: h.then };
  }
  return result as IfStep;
}

// Methods on Chevrotain's parser prototype that are not in its type declarations.
const chevrotainInternals = EmbeddedActionsParser.prototype as unknown as {
  canRecoverWithSingleTokenInsertion(this: ChevrotainParser, expected: TokenType, follows: TokenType[]): boolean;
  SAVE_ERROR(this: ChevrotainParser, error: IRecognitionException): IRecognitionException;
};
const baseInsertion = chevrotainInternals.canRecoverWithSingleTokenInsertion;
const baseSaveError = chevrotainInternals.SAVE_ERROR;

/** A "expected X, found Y" error, with X: the token whose insertion would fix it (see `index.ts`). */
export interface MissingTokenError extends IRecognitionException {
  expectedToken?: TokenType;
}

/** The `.utr` parser. One instance is reused for every parse; it is not re-entrant. */
export class UtrParser extends EmbeddedActionsParser {
  /** Problems found by actions during the current parse. */
  problems: ActionProblem[] = [];
  /** String interpolations met during the current parse, parsed afterwards by the driver. */
  pending: PendingInterpolation[] = [];
  /** Where the current input ends: EOF's offset, and where zero-width spans at the end go. */
  endOffset = 0;
  /** Where the current input starts (non-zero when parsing an interpolation). */
  baseOffset = 0;
  private readonly hints: ParseHints;
  private typeDepth = 0;
  /** Where recovery last inserted a missing token (see `getTokenToInsert`); -1 before any. */
  private lastInsertAt = -1;
  // Expression state kept on the parser instead of in closures, so the busiest rules allocate no closures per call.
  // Each rule that changes one saves and restores it around its own work (rules recurse through parentheses).
  private items: ExprItem[] | undefined;
  private readonly prefixBuf: IToken[] = [];
  private lastPrefixes: readonly IToken[] = NO_TOKENS;
  private cur: Expr = { kind: 'ErrorExpr', span: { start: 0, end: 0 } };
  private curDepth = 1;
  /** The height of the expression the last `atom`, `operand` or `expr` returned. */
  private lastDepth = 1;
  private exprTail?: () => void;
  private exprTailAlts?: IOrAlt<void>[];
  private prefixLoop?: () => void;
  private prefixAlts?: IOrAlt<IToken>[];
  private postfixLoop?: () => void;
  private postfixAlts?: IOrAlt<void>[];
  // The alternatives of the busiest OR rules, built once: Chevrotain's OR takes a fresh array on every call otherwise.
  private patternAlts?: OrMethodOpts<Pattern>;
  private literalAlts?: OrMethodOpts<Expr>;
  private atomAlts?: OrMethodOpts<Expr>;
  private stepAlts?: OrMethodOpts<Step>;
  private memberAlts?: OrMethodOpts<Member>;
  // Chevrotain's token-position methods: present at run time, missing from its type declarations.
  declare private exportLexerState: () => number;
  declare private importLexerState: (state: number) => void;

  /**
   * `validate` runs Chevrotain's grammar checks (ambiguities, left recursion) while building: a third of the build
   * time, so the command line skips them and the test suite builds one parser with them on.
   */
  constructor(options: { validate?: boolean } = {}) {
    const hints: ParseHints = { beforeDo: "the handler's event", engineName: '', endName: 'the end of the file' };
    super(T.ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 3,
      errorMessageProvider: makeErrorMessageProvider(hints),
      skipValidations: options.validate !== true,
    });
    this.hints = hints;
    this.performSelfAnalysis();
  }

  /** Starts a parse of `tokens`, which cover the text `[base, end)`. */
  reset_(tokens: IToken[], base: number, end: number, endName: string): void {
    this.input = tokens;
    // An abandoned member may have left expression state behind.
    this.items = undefined;
    this.prefixBuf.length = 0;
    this.lastInsertAt = -1;
    this.hints.endName = endName;
    this.problems = [];
    this.pending = [];
    this.baseOffset = base;
    this.endOffset = end;
  }

  /**
   * Chevrotain's recovery by pretending a missing token was there. Not in front of a group the nesting guard cut
   * out: the pretend opener would make the parser take a real closer later on for its own, and lose count.
   */
  canRecoverWithSingleTokenInsertion(expected: TokenType, follows: TokenType[]): boolean {
    if (this.LA(1).tokenType === T.Unparsed) return false;
    return baseInsertion.call(this, expected, follows);
  }

  /**
   * The token Chevrotain pretends was there when it recovers from a missing one. Chevrotain gives it no position;
   * here it sits, empty, where it was missed (before the token found instead), so spans stay nested.
   */
  protected override getTokenToInsert(tokType: TokenType): IToken {
    const at = this.startOf();
    this.lastInsertAt = at;
    const tok = createTokenInstance(tokType, '', at, at - 1, NaN, NaN, NaN, NaN);
    (tok as IToken & { isInsertedInRecovery?: boolean }).isInsertedInRecovery = true;
    return tok;
  }

  /** Chevrotain records every error here; a mismatch keeps the token that was expected, for a fix. */
  SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    const expected = this.hints.lastExpected;
    this.hints.lastExpected = undefined;
    if (expected !== undefined && error.name === 'MismatchedTokenException') {
      (error as MissingTokenError).expectedToken = expected;
    }
    return baseSaveError.call(this, error);
  }

  /** Whether every token has been consumed. */
  atEnd(): boolean {
    return this.LA(1).tokenType === EOF;
  }

  /** Skips to the next `engine` keyword (or the end), after junk at the top level has been reported. */
  skipToEngine(): void {
    this.SKIP_TOKEN();
    while (!this.atEnd() && this.LA(1).tokenType !== T.Engine) this.SKIP_TOKEN();
  }

  // ---- helpers ----

  private startOf(): number {
    const t = this.LA(1);
    return t.tokenType === EOF ? this.prevEnd() : t.startOffset;
  }

  /** The end of the last token consumed. */
  private prevEnd(): number {
    const t = this.LA(0);
    return t.tokenType === EOF || Number.isNaN(t.startOffset) ? this.baseOffset : t.startOffset + t.image.length;
  }

  /**
   * Where a node that started at `start` ends: after its last real token, or at a token recovery inserted within
   * it (which has no text but must stay inside the node), and never before it starts.
   */
  private endFrom(start: number): number {
    const end = this.prevEnd();
    const inserted = this.lastInsertAt >= start ? this.lastInsertAt : start;
    return end > inserted ? end : inserted;
  }

  private spanFrom(start: number): Span {
    return { start, end: this.endFrom(start) };
  }

  private tokSpan(t: IToken): Span {
    if (Number.isNaN(t.startOffset)) {
      // A token Chevrotain inserted to recover: it has no text; place it right after the previous token.
      const p = this.prevEnd();
      return { start: p, end: p };
    }
    return { start: t.startOffset, end: t.startOffset + t.image.length };
  }

  private ident(t: IToken): Ident {
    return { kind: 'Ident', span: this.tokSpan(t), name: t.image };
  }

  /** Reports over-deep type arguments and skips them up to their closing `>`; always false (for a GATE). */
  private skipType(): false {
    if (this.RECORDING_PHASE || this.LA(1).tokenType !== T.Lt) return false;
    const start = this.LA(1).startOffset;
    let end = start;
    let depth = 0;
    for (;;) {
      const t = this.LA(1);
      if (t.tokenType !== T.Lt && t.tokenType !== T.Gt && t.tokenType !== T.Comma && t.tokenType !== T.Identifier)
        break;
      if (t.tokenType === T.Lt) depth++;
      else if (t.tokenType === T.Gt) depth--;
      end = t.startOffset + t.image.length;
      this.SKIP_TOKEN();
      if (depth === 0) break;
    }
    this.problem(
      D.NESTING_TOO_DEEP,
      { start, end },
      `type arguments are nested more than ${MAX_TYPE_NESTING} levels deep`,
    );
    return false;
  }

  /**
   * `e` as the current postfix expression with height `depth`, or an ErrorExpr in its place when that is too tall
   * for later phases to walk recursively (reported once per member at most).
   */
  private setCur(e: Expr, depth: number): void {
    if (depth <= MAX_EXPR_DEPTH) {
      this.cur = e;
      this.curDepth = depth;
      return;
    }
    if (!this.problems.some((p) => p.kind === D.NESTING_TOO_DEEP && p.span.start >= e.span.start)) {
      this.problem(D.NESTING_TOO_DEEP, e.span, `expression is nested more than ${MAX_EXPR_DEPTH} levels deep`);
    }
    this.cur = { kind: 'ErrorExpr', span: e.span };
    this.curDepth = 1;
  }

  private problem(kind: DiagnosticKind, span: Span, message: string, help?: string): void {
    this.problems.push(help !== undefined ? { kind, span, message, help } : { kind, span, message });
  }

  /** Consumes `tok`, or reports it missing and goes on: used for closing braces, whose absence needs no skipping. */
  private closeWith(tok: TokenType, idx: 1 | 2 | 3): void {
    try {
      if (idx === 1) this.CONSUME(tok);
      else if (idx === 2) this.CONSUME2(tok);
      else this.CONSUME3(tok);
    } catch (e) {
      if (!isRecognitionException(e as Error)) throw e;
    }
  }

  /**
   * After an error inside a member: skips to the next member keyword, or to the `}` that closes the engine, or to
   * the next `engine`. Braces opened after `from` (the member's first token) are counted, so a `}` closing an `if`
   * body is not taken for the engine's.
   */
  private recoverToMember(from: number): void {
    let depth = 0;
    const tokens = this.input;
    const here = this.exportLexerState();
    for (let i = from + 1; i <= here && i < tokens.length; i++) {
      const tt = tokens[i]?.tokenType;
      if (tt === T.LBrace) depth++;
      else if (tt === T.RBrace && depth > 0) depth--;
    }
    for (;;) {
      const t = this.LA(1);
      const tt = t.tokenType;
      if (tt === EOF || tt === T.Engine || MEMBER_KEYWORDS.has(tt)) return;
      if (tt === T.RBrace) {
        if (depth === 0) return;
        depth--;
      } else if (tt === T.LBrace) depth++;
      this.SKIP_TOKEN();
    }
  }

  // ---- file structure ----

  /** `[arch NAME] engine*` */
  file = this.RULE(
    'file',
    (): FileHead => {
      let arch: ArchDirective | undefined;
      const engines: Engine[] = [];
      this.OPTION(() => {
        arch = this.SUBRULE(this.archDirective);
      });
      this.MANY(() => {
        const mark = this.RECORDING_PHASE ? 0 : this.exportLexerState();
        try {
          engines.push(this.SUBRULE(this.engine));
        } catch (e) {
          if (!isRecognitionException(e as Error)) throw e;
          this.importLexerState(mark);
          this.skipToEngine();
        }
      });
      return arch !== undefined ? { arch, engines } : { engines };
    },
    { resyncEnabled: false, recoveryValueFunc: () => ({ engines: [] }) },
  );

  archDirective = this.RULE(
    'archDirective',
    (): ArchDirective => {
      const start = this.startOf();
      this.CONSUME(T.Arch);
      const name = this.CONSUME(T.Identifier);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'ArchDirective', span: this.spanFrom(start), name: this.ident(name) };
    },
    { resyncEnabled: false },
  );

  engine = this.RULE(
    'engine',
    (): Engine => {
      const start = this.startOf();
      this.CONSUME(T.Engine);
      const name = this.CONSUME(T.Identifier);
      this.hints.engineName = name.image;
      this.CONSUME(T.LBrace);
      const members: Member[] = [];
      this.MANY(() => {
        const mark = this.RECORDING_PHASE ? 0 : this.exportLexerState();
        try {
          members.push(this.SUBRULE(this.member));
        } catch (e) {
          if (!isRecognitionException(e as Error)) throw e;
          this.recoverToMember(mark);
        }
      });
      this.closeWith(T.RBrace, 1);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'Engine', span: this.spanFrom(start), name: this.ident(name), members };
    },
    { resyncEnabled: false },
  );

  member = this.RULE(
    'member',
    (): Member =>
      this.OR(
        (this.memberAlts ??= {
          DEF: [
            { ALT: () => this.SUBRULE(this.state) },
            { ALT: () => this.SUBRULE(this.handler) },
            { ALT: () => this.SUBRULE(this.control) },
            { ALT: () => this.SUBRULE(this.timer) },
          ],
          ERR_MSG: 'a member (`state`, `on`, `control` or `every`)',
        }),
      ),
    { resyncEnabled: false },
  );

  state = this.RULE(
    'state',
    (): StateDecl => {
      const start = this.startOf();
      this.CONSUME(T.State);
      const name = this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
      const type = this.SUBRULE(this.typeRef);
      let init: Expr | undefined;
      this.OPTION(() => {
        this.CONSUME(T.Eq);
        init = this.SUBRULE(this.expr);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      return init !== undefined
        ? { kind: 'StateDecl', span, name: this.ident(name), type, init }
        : { kind: 'StateDecl', span, name: this.ident(name), type };
    },
    { resyncEnabled: false },
  );

  typeRef = this.RULE(
    'typeRef',
    (): TypeRef => {
      const start = this.startOf();
      const name = this.CONSUME(T.Identifier);
      const args: TypeRef[] = [];
      this.typeDepth++;
      try {
        this.OPTION({
          // Type arguments nest by recursion; past the limit the rest of the type is skipped (see `skipType`).
          GATE: () => this.typeDepth <= MAX_TYPE_NESTING || this.skipType(),
          DEF: () => {
            this.CONSUME(T.Lt);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => args.push(this.SUBRULE(this.typeRef)) });
            this.CONSUME(T.Gt);
          },
        });
      } finally {
        this.typeDepth--;
      }
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'TypeRef', span: this.spanFrom(start), name: this.ident(name), args };
    },
    { resyncEnabled: false },
  );

  handler = this.RULE(
    'handler',
    (): Handler => {
      const start = this.startOf();
      this.CONSUME(T.On);
      // `attach` and `detach` are keywords (a step and an action) but also the engine's own two events.
      const event = this.OR({
        DEF: [
          { ALT: () => this.CONSUME(T.Identifier) },
          { ALT: () => this.CONSUME(T.Attach) },
          { ALT: () => this.CONSUME(T.Detach) },
        ],
        ERR_MSG: 'an event name after `on`',
      });
      let binding: IToken | undefined;
      let guard: Expr | undefined;
      this.hints.beforeDo = "the handler's event";
      this.OPTION(() => {
        this.CONSUME(T.LParen);
        binding = this.CONSUME2(T.Identifier);
        this.CONSUME(T.RParen);
        this.hints.beforeDo = "the handler's binding";
      });
      this.OPTION2(() => {
        this.CONSUME(T.When);
        guard = this.SUBRULE(this.expr);
        this.hints.beforeDo = "the handler's guard";
      });
      this.CONSUME(T.Do);
      const body = this.SUBRULE(this.steps);
      if (this.RECORDING_PHASE) return undefined as never;
      return {
        kind: 'Handler',
        span: this.spanFrom(start),
        event: this.ident(event),
        ...(binding !== undefined ? { binding: this.ident(binding) } : {}),
        ...(guard !== undefined ? { guard } : {}),
        body,
      };
    },
    { resyncEnabled: false },
  );

  control = this.RULE(
    'control',
    (): ControlDecl => {
      const start = this.startOf();
      this.CONSUME(T.Control);
      const name = this.CONSUME(T.Identifier);
      const params: Param[] = [];
      this.hints.beforeDo = "the control operation's name";
      this.OPTION(() => {
        this.CONSUME(T.LParen);
        this.MANY_SEP({ SEP: T.Comma, DEF: () => params.push(this.SUBRULE(this.param)) });
        this.CONSUME(T.RParen);
        this.hints.beforeDo = "the control operation's parameters";
      });
      this.CONSUME(T.Do);
      const body = this.SUBRULE(this.steps);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'ControlDecl', span: this.spanFrom(start), name: this.ident(name), params, body };
    },
    { resyncEnabled: false },
  );

  param = this.RULE(
    'param',
    (): Param => {
      const start = this.startOf();
      const name = this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
      const type = this.SUBRULE(this.typeRef);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'Param', span: this.spanFrom(start), name: this.ident(name), type };
    },
    { resyncEnabled: false },
  );

  timer = this.RULE(
    'timer',
    (): TimerDecl => {
      const start = this.startOf();
      this.CONSUME(T.Every);
      const period = this.SUBRULE(this.expr);
      let guard: Expr | undefined;
      this.hints.beforeDo = "the timer's period";
      this.OPTION(() => {
        this.CONSUME(T.When);
        guard = this.SUBRULE2(this.expr);
        this.hints.beforeDo = "the timer's guard";
      });
      this.CONSUME(T.Do);
      const body = this.SUBRULE(this.steps);
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      return guard !== undefined
        ? { kind: 'TimerDecl', span, period, guard, body }
        : { kind: 'TimerDecl', span, period, body };
    },
    { resyncEnabled: false },
  );

  // ---- steps ----

  /** `step (then step)*` */
  steps = this.RULE(
    'steps',
    (): Block => {
      const start = this.startOf();
      const list: Step[] = [this.SUBRULE(this.step)];
      this.MANY(() => {
        this.CONSUME(T.Then);
        list.push(this.SUBRULE2(this.step));
      });
      return this.RECORDING_PHASE ? (undefined as never) : { kind: 'Block', span: this.spanFrom(start), steps: list };
    },
    { resyncEnabled: false },
  );

  /** `{ steps }`, as the body of `if` and `else`. */
  block = this.RULE(
    'block',
    (): Block => {
      this.CONSUME(T.LBrace);
      const body = this.SUBRULE(this.steps);
      this.CONSUME(T.RBrace);
      return body;
    },
    { resyncEnabled: false },
  );

  step = this.RULE(
    'step',
    (): Step =>
      this.OR(
        (this.stepAlts ??= {
          DEF: [
            { ALT: () => this.SUBRULE(this.fetchStep) },
            { ALT: () => this.SUBRULE(this.setStep) },
            { ALT: () => this.SUBRULE(this.appendStep) },
            { ALT: () => this.SUBRULE(this.emitStep) },
            { ALT: () => this.SUBRULE(this.attachStep) },
            { ALT: () => this.SUBRULE(this.eventsStep) },
            { ALT: () => this.SUBRULE(this.barrierStep) },
            { ALT: () => this.SUBRULE(this.nothingStep) },
            { ALT: () => this.SUBRULE(this.ifStep) },
            { ALT: () => this.SUBRULE(this.matchStep) },
            { ALT: () => this.SUBRULE(this.actionStep) },
            { ALT: () => this.SUBRULE(this.awaitStep) },
            { ALT: () => this.SUBRULE(this.abortStep) },
            { ALT: () => this.SUBRULE(this.fateStep) },
            { ALT: () => this.SUBRULE(this.assertStep) },
            { ALT: () => this.SUBRULE(this.updateStep) },
          ],
          ERR_MSG: 'a step (e.g. `resume`, `set`, `emit`, `fetch`, `if`)',
        }),
      ),
    { resyncEnabled: false },
  );

  /** `fetch regs [into X]` | `fetch mem(ADDR, LEN) into X` */
  fetchStep = this.RULE(
    'fetchStep',
    (): FetchStep => {
      const start = this.startOf();
      this.CONSUME(T.Fetch);
      const what = this.CONSUME(T.Identifier);
      let into: Expr | undefined;
      let open: IToken | undefined;
      const argList: Expr[] = [];
      // Any number of arguments is read, so that a wrong count gets a message about `fetch`, not about commas.
      this.OPTION(() => {
        open = this.CONSUME(T.LParen);
        this.MANY_SEP({ SEP: T.Comma, DEF: () => argList.push(this.SUBRULE(this.expr)) });
        this.CONSUME(T.RParen);
      });
      this.OPTION2(() => {
        this.CONSUME(T.Into);
        into = this.SUBRULE2(this.expr);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      const whatSpan = this.tokSpan(what);
      const args = open;
      const addr = argList.length === 2 ? argList[0] : undefined;
      const len = argList.length === 2 ? argList[1] : undefined;
      if (what.image === 'regs') {
        if (args !== undefined) {
          this.problem(
            D.INVALID_FETCH,
            this.tokSpan(args),
            '`fetch regs` takes no arguments',
            'write `fetch regs` or `fetch regs into X`',
          );
        }
        return into !== undefined
          ? { kind: 'FetchStep', span, what: 'regs', into }
          : { kind: 'FetchStep', span, what: 'regs' };
      }
      if (what.image !== 'mem') {
        this.problem(
          D.INVALID_FETCH,
          whatSpan,
          what.image === ''
            ? '`fetch` needs `regs` or `mem`'
            : `\`fetch\` reads \`regs\` or \`mem\`, not \`${what.image}\``,
          'write `fetch regs [into X]` or `fetch mem(ADDR, LEN) into X`',
        );
      } else if (addr === undefined || len === undefined) {
        this.problem(
          D.INVALID_FETCH,
          whatSpan,
          '`fetch mem` needs an address and a length',
          'write `fetch mem(ADDR, LEN) into X`',
        );
      } else if (into === undefined) {
        this.problem(
          D.INVALID_FETCH,
          span,
          '`fetch mem(…)` needs `into` and a place to store the bytes',
          'write `fetch mem(ADDR, LEN) into X`',
        );
      }
      return {
        kind: 'FetchStep',
        span,
        what: 'mem',
        ...(addr !== undefined ? { addr } : {}),
        ...(len !== undefined ? { len } : {}),
        ...(into !== undefined ? { into } : {}),
      };
    },
    { resyncEnabled: false },
  );

  setStep = this.RULE(
    'setStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Set);
      const target = this.SUBRULE(this.expr);
      this.CONSUME(T.Eq);
      const value = this.SUBRULE2(this.expr);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'SetStep', span: this.spanFrom(start), target, value };
    },
    { resyncEnabled: false },
  );

  /** `TARGET += VALUE` | `TARGET -= VALUE` */
  updateStep = this.RULE(
    'updateStep',
    (): Step => {
      const start = this.startOf();
      const target = this.SUBRULE(this.expr);
      const op = this.OR({
        DEF: [{ ALT: () => this.CONSUME(T.PlusEq) }, { ALT: () => this.CONSUME(T.MinusEq) }],
        ERR_MSG: '`+=` or `-=` after the expression (a step cannot be a bare expression)',
      });
      const value = this.SUBRULE2(this.expr);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'UpdateStep', span: this.spanFrom(start), target, op: op.image === '-=' ? '-=' : '+=', value };
    },
    { resyncEnabled: false },
  );

  appendStep = this.RULE(
    'appendStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Append);
      const value = this.SUBRULE(this.expr);
      this.CONSUME(T.To);
      const target = this.SUBRULE2(this.expr);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'AppendStep', span: this.spanFrom(start), value, target };
    },
    { resyncEnabled: false },
  );

  emitStep = this.RULE(
    'emitStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Emit);
      const value = this.SUBRULE(this.expr);
      return this.RECORDING_PHASE ? (undefined as never) : { kind: 'EmitStep', span: this.spanFrom(start), value };
    },
    { resyncEnabled: false },
  );

  attachStep = this.RULE(
    'attachStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Attach);
      const engine = this.CONSUME(T.Identifier);
      this.CONSUME(T.To);
      const task = this.SUBRULE(this.expr);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'AttachStep', span: this.spanFrom(start), engine: this.ident(engine), task };
    },
    { resyncEnabled: false },
  );

  /** `events (+EVENT | -EVENT)+ [arms]` */
  eventsStep = this.RULE(
    'eventsStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Events);
      const changes: EventChange[] = [];
      this.AT_LEAST_ONE({
        DEF: () => changes.push(this.SUBRULE(this.eventChange)),
        ERR_MSG: 'an event to add or remove (`+EVENT` or `-EVENT`) after `events`',
      });
      let arms: MatchArm[] | undefined;
      this.OPTION(() => {
        arms = this.SUBRULE(this.arms);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      return arms !== undefined ? { kind: 'EventsStep', span, changes, arms } : { kind: 'EventsStep', span, changes };
    },
    { resyncEnabled: false },
  );

  eventChange = this.RULE(
    'eventChange',
    (): EventChange => {
      const start = this.startOf();
      const sign = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const event = this.OR2({
        DEF: [
          { ALT: () => this.CONSUME(T.Identifier) },
          { ALT: () => this.CONSUME(T.Attach) },
          { ALT: () => this.CONSUME(T.Detach) },
        ],
        ERR_MSG: `an event name after \`+\` or \`-\``,
      });
      return this.RECORDING_PHASE
        ? (undefined as never)
        : {
            kind: 'EventChange',
            span: this.spanFrom(start),
            sign: sign.image === '-' ? '-' : '+',
            event: this.ident(event),
          };
    },
    { resyncEnabled: false },
  );

  barrierStep = this.RULE(
    'barrierStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Barrier);
      let arms: MatchArm[] | undefined;
      this.OPTION(() => {
        arms = this.SUBRULE(this.arms);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      return arms !== undefined ? { kind: 'BarrierStep', span, arms } : { kind: 'BarrierStep', span };
    },
    { resyncEnabled: false },
  );

  nothingStep = this.RULE(
    'nothingStep',
    (): Step => {
      const t = this.CONSUME(T.Nothing);
      return this.RECORDING_PHASE ? (undefined as never) : { kind: 'NothingStep', span: this.tokSpan(t) };
    },
    { resyncEnabled: false },
  );

  abortStep = this.RULE(
    'abortStep',
    (): Step => {
      const t = this.CONSUME(T.Abort);
      return this.RECORDING_PHASE ? (undefined as never) : { kind: 'AbortStep', span: this.tokSpan(t) };
    },
    { resyncEnabled: false },
  );

  /**
   * `if C { … } (else if C { … })* [else { … }]`. The `else if` chain is read as a loop, not by recursion, so a long
   * chain costs no stack.
   */
  ifStep = this.RULE(
    'ifStep',
    (): IfStep => {
      const heads: IfHead[] = [];
      let start = this.startOf();
      this.CONSUME(T.If);
      const cond = this.SUBRULE(this.expr);
      const then = this.SUBRULE(this.block);
      heads.push({ start, cond, then });
      let otherwise: Block | undefined;
      this.MANY(() => {
        this.CONSUME(T.Else);
        start = this.startOf();
        this.CONSUME2(T.If);
        const c = this.SUBRULE2(this.expr);
        const b = this.SUBRULE2(this.block);
        heads.push({ start, cond: c, then: b });
      });
      this.OPTION(() => {
        this.CONSUME2(T.Else);
        otherwise = this.SUBRULE3(this.block);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const end = this.endFrom((heads[0] as IfHead).start);
      if (heads.length > MAX_EXPR_DEPTH) {
        // Each `else if` nests one IfStep in the previous one; later phases walk that recursively.
        const cut = heads[MAX_EXPR_DEPTH] as IfHead;
        this.problem(
          D.NESTING_TOO_DEEP,
          { start: cut.start, end },
          `\`else if\` chain is longer than ${MAX_EXPR_DEPTH} branches`,
          'use `match` for a long list of cases',
        );
        heads.length = MAX_EXPR_DEPTH;
        otherwise = undefined;
      }
      return foldIfChain(heads, otherwise, end);
    },
    { resyncEnabled: false },
  );

  matchStep = this.RULE(
    'matchStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Match);
      const subject = this.SUBRULE(this.expr);
      this.CONSUME(T.LBrace);
      const arms: MatchArm[] = [];
      this.AT_LEAST_ONE({ DEF: () => arms.push(this.SUBRULE(this.arm)), ERR_MSG: 'a match arm (`PATTERN => STEPS`)' });
      this.CONSUME(T.RBrace);
      return this.RECORDING_PHASE
        ? (undefined as never)
        : { kind: 'MatchStep', span: this.spanFrom(start), subject, arms };
    },
    { resyncEnabled: false },
  );

  /** `match { arm+ }` after a control call whose status is matched. */
  arms = this.RULE(
    'arms',
    (): MatchArm[] => {
      this.CONSUME(T.Match);
      this.CONSUME(T.LBrace);
      const list: MatchArm[] = [];
      this.AT_LEAST_ONE({ DEF: () => list.push(this.SUBRULE(this.arm)), ERR_MSG: 'a match arm (`PATTERN => STEPS`)' });
      this.CONSUME(T.RBrace);
      return list;
    },
    { resyncEnabled: false },
  );

  /** `PATTERN (, PATTERN)* => STEPS [,]` */
  arm = this.RULE(
    'arm',
    (): MatchArm => {
      const start = this.startOf();
      const patterns: Pattern[] = [];
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => patterns.push(this.SUBRULE(this.pattern)) });
      this.CONSUME(T.Arrow);
      const body = this.SUBRULE(this.steps);
      const span = this.RECORDING_PHASE ? undefined : this.spanFrom(start);
      this.OPTION(() => this.CONSUME(T.Comma));
      return this.RECORDING_PHASE ? (undefined as never) : { kind: 'MatchArm', span: span as Span, patterns, body };
    },
    { resyncEnabled: false },
  );

  pattern = this.RULE(
    'pattern',
    (): Pattern =>
      this.OR(
        (this.patternAlts ??= {
          DEF: [
            {
              ALT: () => {
                const t = this.CONSUME(T.Identifier);
                if (this.RECORDING_PHASE) return undefined as never;
                const span = this.tokSpan(t);
                return t.image === '_'
                  ? { kind: 'WildcardPattern', span }
                  : { kind: 'NamePattern', span, name: this.ident(t) };
              },
            },
            {
              ALT: () => {
                const value = this.SUBRULE(this.literal);
                if (this.RECORDING_PHASE) return undefined as never;
                // A literal that failed to read (an integer too large) is already reported; match anything.
                return value.kind === 'IntLit' || value.kind === 'StringLit' || value.kind === 'BoolLit'
                  ? { kind: 'LiteralPattern', span: value.span, value }
                  : { kind: 'WildcardPattern', span: value.span };
              },
            },
          ],
          ERR_MSG: 'a pattern (`_`, a name, a number, a string, `true` or `false`)',
        }),
      ),
    { resyncEnabled: false },
  );

  /** `stop` `interrupt` `report` `singlestep` `blockstep` `resume` `detach`, with the status optionally matched. */
  actionStep = this.RULE(
    'actionStep',
    (): ActionStep => {
      const start = this.startOf();
      const t = this.CONSUME(T.ResumeAction);
      let arms: MatchArm[] | undefined;
      this.OPTION(() => {
        arms = this.SUBRULE(this.arms);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const action = (ACTIONS.has(t.image) ? t.image : 'resume') as ResumeActionName;
      const span = this.spanFrom(start);
      return arms !== undefined ? { kind: 'ActionStep', span, action, arms } : { kind: 'ActionStep', span, action };
    },
    { resyncEnabled: false },
  );

  /** `await stopped [within D] [arms]` */
  awaitStep = this.RULE(
    'awaitStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Await);
      const what = this.CONSUME(T.Identifier);
      let within: Expr | undefined;
      let arms: MatchArm[] | undefined;
      this.OPTION(() => {
        this.CONSUME(T.Within);
        within = this.SUBRULE(this.expr);
      });
      this.OPTION2(() => {
        arms = this.SUBRULE(this.arms);
      });
      if (this.RECORDING_PHASE) return undefined as never;
      if (what.image !== 'stopped' && what.image !== '') {
        this.problem(
          D.INVALID_AWAIT,
          this.tokSpan(what),
          `\`await\` waits for \`stopped\`, not \`${what.image}\``,
          'write `await stopped [within DURATION]`',
        );
      }
      return {
        kind: 'AwaitStep',
        span: this.spanFrom(start),
        ...(within !== undefined ? { within } : {}),
        ...(arms !== undefined ? { arms } : {}),
      };
    },
    { resyncEnabled: false },
  );

  /** `fate deliver|ignore|stop|terminate|core|handler`; `stop` is a keyword, the others are names. */
  fateStep = this.RULE(
    'fateStep',
    (): FateStep => {
      const start = this.startOf();
      this.CONSUME(T.Fate);
      const t = this.OR({
        DEF: [{ ALT: () => this.CONSUME(T.Stop) }, { ALT: () => this.CONSUME(T.Identifier) }],
        ERR_MSG: `a signal fate (${wordsOr(SIGNAL_FATES)}) after \`fate\``,
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const fateSpan = this.tokSpan(t);
      if (!isSignalFate(t.image)) {
        this.problem(
          D.INVALID_FATE,
          fateSpan,
          `\`${t.image}\` is not a signal fate`,
          `a fate is ${wordsOr(SIGNAL_FATES)}`,
        );
      }
      const fate: SignalFate = isSignalFate(t.image) ? t.image : 'deliver';
      return { kind: 'FateStep', span: this.spanFrom(start), fate, fateSpan };
    },
    { resyncEnabled: false },
  );

  /** `assert COND [, "message"]` */
  assertStep = this.RULE(
    'assertStep',
    (): Step => {
      const start = this.startOf();
      this.CONSUME(T.Assert);
      const cond = this.SUBRULE(this.expr);
      let message: StringLit | undefined;
      this.OPTION({
        // In a match arm, `, "x" =>` after the condition starts the next arm, not the assertion's message.
        GATE: () => this.LA(3).tokenType !== T.Arrow && this.LA(3).tokenType !== T.Comma,
        DEF: () => {
          this.CONSUME(T.Comma);
          message = this.SUBRULE(this.stringLit);
        },
      });
      if (this.RECORDING_PHASE) return undefined as never;
      const span = this.spanFrom(start);
      return message !== undefined ? { kind: 'AssertStep', span, cond, message } : { kind: 'AssertStep', span, cond };
    },
    { resyncEnabled: false },
  );

  // ---- expressions ----

  /** `operand ((BinaryOperator operand) | in { expr, … })*`; precedence is applied by `buildExpression`. */
  expr = this.RULE(
    'expr',
    (): Expr => {
      const first = this.SUBRULE(this.operand);
      const firstPrefixes = this.lastPrefixes;
      const firstDepth = this.lastDepth;
      // Most expressions are a single operand: skip the sequence machinery for them.
      if (!this.RECORDING_PHASE && firstPrefixes.length === 0) {
        const next = this.LA(1);
        if (next.tokenType !== T.In && !tokenMatcher(next, T.BinaryOperator)) return first;
      }
      const saved = this.items;
      const items: ExprItem[] = [{ t: 'operand', prefixes: firstPrefixes, expr: first, depth: firstDepth }];
      this.items = items;
      this.MANY((this.exprTail ??= () => this.OR((this.exprTailAlts ??= this.makeExprTailAlts()))));
      this.items = saved;
      if (this.RECORDING_PHASE) return undefined as never;
      const built = buildExpression(items, this.reportExpr);
      this.lastDepth = built.depth;
      return built.expr;
    },
    { resyncEnabled: false },
  );

  private makeExprTailAlts(): IOrAlt<void>[] {
    return [
      {
        ALT: () => {
          const tok = this.CONSUME(T.BinaryOperator);
          const rhs = this.SUBRULE2(this.operand);
          if (!this.RECORDING_PHASE) {
            const operand: ExprItem = { t: 'operand', prefixes: this.lastPrefixes, expr: rhs, depth: this.lastDepth };
            (this.items as ExprItem[]).push({ t: 'op', tok }, operand);
          }
        },
      },
      {
        ALT: () => {
          const tok = this.CONSUME(T.In);
          this.CONSUME(T.LBrace);
          const set: Expr[] = [];
          let depth = 1;
          this.AT_LEAST_ONE_SEP({
            SEP: T.Comma,
            DEF: () => {
              set.push(this.SUBRULE(this.expr));
              if (this.lastDepth > depth) depth = this.lastDepth;
            },
          });
          this.CONSUME(T.RBrace);
          if (!this.RECORDING_PHASE)
            (this.items as ExprItem[]).push({ t: 'in', tok, set, end: this.endFrom(tok.startOffset), depth });
        },
      },
    ];
  }

  private readonly reportExpr = (p: ExprProblem): void => {
    const kind =
      p.kind === 'chained'
        ? D.CHAINED_COMPARISON
        : p.kind === 'not-operand'
          ? D.OPERAND_NEEDS_PARENTHESES
          : D.NESTING_TOO_DEEP;
    this.problem(kind, p.span, p.message, p.help);
  };

  /**
   * `(not | -)* atom ( .NAME | [ expr ] | ( args ) )*`. Returns the postfix expression; its prefix operators are left
   * in `lastPrefixes` for the enclosing `expr` (which applies them with the right precedence).
   */
  operand = this.RULE(
    'operand',
    (): Expr => {
      this.MANY(
        (this.prefixLoop ??= () => {
          this.prefixBuf.push(
            this.OR((this.prefixAlts ??= [{ ALT: () => this.CONSUME(T.Not) }, { ALT: () => this.CONSUME(T.Minus) }])),
          );
        }),
      );
      // Taken out before the atom: an atom may contain operands of its own, which use the same buffer.
      const prefixes = this.prefixBuf.length === 0 ? NO_TOKENS : this.prefixBuf.splice(0);
      const atom = this.SUBRULE(this.atom);
      const saved = this.cur;
      const savedDepth = this.curDepth;
      this.cur = atom;
      this.curDepth = this.lastDepth;
      this.MANY2((this.postfixLoop ??= () => this.OR2((this.postfixAlts ??= this.makePostfixAlts()))));
      const e = this.cur;
      this.lastDepth = this.curDepth;
      this.cur = saved;
      this.curDepth = savedDepth;
      this.lastPrefixes = prefixes;
      return e;
    },
    { resyncEnabled: false },
  );

  private makePostfixAlts(): IOrAlt<void>[] {
    return [
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          const field = this.CONSUME(T.Name);
          if (this.RECORDING_PHASE) return;
          const object = this.cur;
          const span = { start: object.span.start, end: this.endFrom(object.span.start) };
          this.setCur({ kind: 'FieldExpr', span, object, field: this.ident(field) }, this.curDepth + 1);
        },
      },
      {
        ALT: () => {
          const object = this.cur;
          const objectDepth = this.curDepth;
          this.CONSUME(T.LBracket);
          const index = this.SUBRULE(this.expr);
          const indexDepth = this.lastDepth;
          this.CONSUME(T.RBracket);
          if (this.RECORDING_PHASE) return;
          const span = { start: object.span.start, end: this.endFrom(object.span.start) };
          this.setCur({ kind: 'IndexExpr', span, object, index }, Math.max(objectDepth, indexDepth) + 1);
        },
      },
      {
        ALT: () => {
          const callee = this.cur;
          const open = this.CONSUME(T.LParen);
          const args: Expr[] = [];
          let depth = 1;
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => {
              args.push(this.SUBRULE2(this.expr));
              if (this.lastDepth > depth) depth = this.lastDepth;
            },
          });
          this.CONSUME(T.RParen);
          if (this.RECORDING_PHASE) return;
          const span = { start: callee.span.start, end: this.endFrom(callee.span.start) };
          if (callee.kind === 'NameExpr') {
            this.setCur({ kind: 'CallExpr', span, callee: callee.name, args }, depth + 1);
            return;
          }
          this.problem(
            D.INVALID_CALL,
            this.tokSpan(open),
            'only a library function can be called, by its name',
            'the functions are `path`, `len`, `table`, `hex` and `str`',
          );
          this.setCur({ kind: 'ErrorExpr', span }, 1);
        },
      },
    ];
  }

  atom = this.RULE(
    'atom',
    (): Expr => {
      // A leaf unless the parenthesised alternative's inner expression says otherwise.
      this.lastDepth = 1;
      return this.OR(
        (this.atomAlts ??= {
          DEF: [
            { ALT: () => this.SUBRULE(this.literal) },
            {
              ALT: () => {
                const t = this.CONSUME(T.Identifier);
                if (this.RECORDING_PHASE) return undefined as never;
                const span = this.tokSpan(t);
                return { kind: 'NameExpr', span, name: { kind: 'Ident', span, name: t.image } };
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(T.Duration);
                return this.RECORDING_PHASE ? (undefined as never) : this.durationLit(t);
              },
            },
            {
              ALT: () => {
                const start = this.startOf();
                this.CONSUME(T.LParen);
                const inner = this.SUBRULE(this.expr);
                this.CONSUME(T.RParen);
                // The node covers its parentheses, so an enclosing node's span ends at the `)`.
                return this.RECORDING_PHASE ? (undefined as never) : respan(inner, this.spanFrom(start));
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(T.BadNumber);
                if (this.RECORDING_PHASE) return undefined as never;
                const span = this.tokSpan(t);
                this.problem(D.INVALID_NUMBER, span, `invalid number \`${t.image}\``, badNumberHelp(t.image));
                return { kind: 'ErrorExpr', span };
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(T.Unparsed);
                return this.RECORDING_PHASE ? (undefined as never) : { kind: 'ErrorExpr', span: this.tokSpan(t) };
              },
            },
          ],
          ERR_MSG: 'an expression',
        }),
      );
    },
    { resyncEnabled: false },
  );

  /** Integer, string and boolean literals: the atoms that are also patterns. */
  literal = this.RULE(
    'literal',
    () =>
      this.OR(
        (this.literalAlts ??= {
          DEF: [
            {
              ALT: () => {
                const t = this.CONSUME(T.Integer);
                return this.RECORDING_PHASE ? (undefined as never) : this.intLit(t);
              },
            },
            { ALT: () => this.SUBRULE(this.stringLit) },
            {
              ALT: () => {
                const t = this.CONSUME(T.True);
                return this.RECORDING_PHASE
                  ? (undefined as never)
                  : ({ kind: 'BoolLit', span: this.tokSpan(t), value: true } as const);
              },
            },
            {
              ALT: () => {
                const t = this.CONSUME(T.False);
                return this.RECORDING_PHASE
                  ? (undefined as never)
                  : ({ kind: 'BoolLit', span: this.tokSpan(t), value: false } as const);
              },
            },
          ],
          ERR_MSG: 'a literal',
        }),
      ),
    { resyncEnabled: false },
  );

  stringLit = this.RULE(
    'stringLit',
    (): StringLit => {
      const t = this.CONSUME(T.StringLiteral);
      return this.RECORDING_PHASE ? (undefined as never) : this.stringLitOf(t);
    },
    { resyncEnabled: false },
  );

  /** The expression inside a string's `{…}`: parsed on its own after the enclosing file. */
  interpolation = this.RULE(
    'interpolation',
    (): Expr => {
      const e = this.SUBRULE(this.expr);
      this.CONSUME(EOF);
      return e;
    },
    { resyncEnabled: false, recoveryValueFunc: () => undefined as never },
  );

  // ---- literal values ----

  private intLit(t: IToken): Expr {
    const span = this.tokSpan(t);
    const value = integerValue(t.image);
    if (typeof value !== 'bigint') {
      this.problem(D.INVALID_NUMBER, span, value.message, value.help);
      return { kind: 'ErrorExpr', span };
    }
    return { kind: 'IntLit', span, value };
  }

  private durationLit(t: IToken): Expr {
    const span = this.tokSpan(t);
    const nanos = durationNanos(t.image);
    if (typeof nanos !== 'bigint') {
      this.problem(D.INVALID_NUMBER, span, nanos.message);
      return { kind: 'ErrorExpr', span };
    }
    return { kind: 'DurationLit', span, nanos };
  }

  private stringLitOf(t: IToken): StringLit {
    const span = this.tokSpan(t);
    // The lexer's token covers the whole literal, interpolations included; offsets below are absolute.
    const text = this.sourceText;
    const decoded = text !== undefined ? decodeString(text, span.start, span.end) : undefined;
    const parts: (string | Expr)[] = [];
    if (decoded !== undefined) {
      for (const p of decoded.parts) {
        if (typeof p === 'string') parts.push(p);
        else {
          this.pending.push({ parts, index: parts.length, start: p.start, end: p.end });
          // A placeholder until the driver parses the segment.
          parts.push({ kind: 'ErrorExpr', span: { start: p.start, end: p.end } });
        }
      }
      for (const pr of decoded.problems) {
        const kind =
          pr.code === 'unterminated'
            ? D.UNTERMINATED_STRING
            : pr.code === 'escape'
              ? D.INVALID_ESCAPE
              : D.INVALID_INTERPOLATION;
        this.problem(kind, { start: pr.start, end: pr.end }, pr.message, pr.help);
      }
    }
    return { kind: 'StringLit', span, parts };
  }

  /** The whole source text of the current parse; strings are decoded from it by absolute offset. */
  sourceText: string | undefined;
}

function badNumberHelp(image: string): string {
  if (/^[0-9][0-9_]*[a-zA-Z]+$/.test(image))
    return `durations are written with a unit of ${DURATION_UNIT_WORDS}, e.g. \`10ms\``;
  if (/^0[xX]/.test(image)) return 'hex digits are `0`-`9` and `a`-`f`';
  return 'a number is decimal (`42`) or hex (`0x2a`), with optional `_` separators';
}
