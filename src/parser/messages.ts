/**
 * Error messages for humans instead of Chevrotain's token dumps: "expected `do` after the handler's event, found
 * `resume`". The parser keeps a small hint of where it is (`ParseHints`) because Chevrotain only tells us the rule.
 */
import { EOF, tokenLabel } from './chevrotain.js';
import { Then } from './tokens.js';
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';

/** Parser state the messages read; the parser updates it as it goes. */
export interface ParseHints {
  /** What the next `do` follows: "the handler's event", "the handler's guard", "the timer's period", … */
  beforeDo: string;
  /** The name of the engine being parsed, for "expected `}` to close engine `x`". */
  engineName: string;
  /** How the end of the input is named: "the end of the file", or of an interpolation when parsing one. */
  endName: string;
  /** The token the last mismatch message was about, until the parser attaches it to the error. */
  lastExpected?: TokenType;
}

/** How a found token is named in a message: `` `resume` ``, a string, the end of the file. */
function describeToken(token: IToken, endName = 'the end of the file'): string {
  if (token.tokenType === EOF) return endName;
  const name = token.tokenType.name;
  if (name === 'StringLiteral') return 'a string';
  const image = token.image;
  if (image.length > 24) return `\`${image.slice(0, 20)}…\``;
  return `\`${image}\``;
}

/** Tokens that start a step (and no member): seen between members, they follow a missing `then`. */
const STEP_STARTS: ReadonlySet<string> = new Set(
  [
    'fetch',
    'set',
    'append',
    'emit',
    'attach',
    'events',
    'barrier',
    'nothing',
    'if',
    'match',
    'await',
    'abort',
    'fate',
    'assert',
    'stop',
    'interrupt',
    'report',
    'singlestep',
    'blockstep',
    'resume',
    'detach',
  ].map((w) => `Kw_${w}`),
);

/** Context phrases keyed by `rule.TokenName`, so a message says what the expected token is for. */
function context(ruleName: string, expected: TokenType, hints: ParseHints): string | undefined {
  switch (`${ruleName}.${expected.name}`) {
    case 'handler.Kw_do':
    case 'control.Kw_do':
    case 'timer.Kw_do':
      return `after ${hints.beforeDo}`;
    case 'handler.Identifier':
      return 'after `on` (the event to handle)';
    case 'handler.RParen':
      return "after the event's binding";
    case 'engine.Identifier':
      return "after `engine` (the engine's name)";
    case 'engine.LBrace':
      return "after the engine's name";
    case 'state.Identifier':
      return "after `state` (the variable's name)";
    case 'state.Colon':
      return "after the state variable's name";
    case 'control.Identifier':
      return "after `control` (the operation's name)";
    case 'param.Colon':
      return "after the parameter's name";
    case 'param.Identifier':
      return 'for a parameter';
    case 'typeRef.Identifier':
      return 'for a type';
    case 'typeRef.Gt':
      return "to close the type's arguments";
    case 'archDirective.Identifier':
      return 'after `arch` (e.g. `x86_64` or `aarch64`)';
    case 'ifStep.LBrace':
      return 'after the `if` condition (an `if` body is written in braces)';
    case 'block.LBrace':
      return '(`if` and `else` bodies are written in braces)';
    case 'ifStep.RBrace':
    case 'block.RBrace':
      return 'to close the block';
    case 'matchStep.LBrace':
      return 'after the value to match';
    case 'arms.LBrace':
      return 'after `match`';
    case 'arms.RBrace':
    case 'matchStep.RBrace':
      return 'to close the `match`';
    case 'arm.Arrow':
      return "after the arm's patterns";
    case 'setStep.Eq':
      return 'after the target of `set`';
    case 'appendStep.Kw_to':
      return 'after the value to append';
    case 'attachStep.Kw_to':
      return 'after the engine to attach';
    case 'attachStep.Identifier':
      return 'after `attach` (the engine to attach)';
    case 'fetchStep.Kw_into':
      return 'after `fetch mem(…)`';
    case 'fetchStep.Identifier':
      return 'after `fetch` (`regs` or `mem`)';
    case 'awaitStep.Identifier':
      return 'after `await`';
    case 'eventChange.Identifier':
      return 'after the sign (the event to add or remove)';
    case 'atom.RParen':
    case 'operand.RParen':
      return 'to close the parenthesis';
    case 'operand.RBracket':
      return 'to close the index';
    case 'operand.Name':
      return 'after `.` (a field name)';
    case 'expr.RBrace':
      return 'to close the set after `in`';
    default:
      return undefined;
  }
}

function label(tokenType: TokenType): string {
  return tokenType === EOF ? 'the end of the file' : tokenLabel(tokenType);
}

/** Joins alternatives as "a, b or c". */
function oneOf(labels: readonly string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 1) return unique[0] ?? 'something else';
  return `${unique.slice(0, -1).join(', ')} or ${unique[unique.length - 1]}`;
}

/** The message provider the parser is built with. */
export function makeErrorMessageProvider(hints: ParseHints): IParserErrorMessageProvider {
  return {
    buildMismatchTokenMessage({ expected, actual, ruleName }) {
      hints.lastExpected = expected;
      const found = describeToken(actual, hints.endName);
      // Chevrotain reports junk between members, or after the last engine, as "expected what ends the list".
      if (ruleName === 'engine' && expected.name === 'RBrace') {
        if (actual.tokenType === EOF || actual.tokenType.name === 'Kw_engine') {
          const which = hints.engineName === '' ? 'the engine' : `engine \`${hints.engineName}\``;
          return `expected \`}\` to close ${which}, found ${found}`;
        }
        // A step where a member should start: almost always a missing `then` before it.
        if (STEP_STARTS.has(actual.tokenType.name)) {
          hints.lastExpected = Then;
          return `expected \`then\` between steps, found ${found}`;
        }
        hints.lastExpected = undefined;
        return `expected a member (\`state\`, \`on\`, \`control\` or \`every\`) or \`}\`, found ${found}`;
      }
      if ((ruleName === 'file' || ruleName === 'interpolation') && expected === EOF) hints.lastExpected = undefined;
      if (ruleName === 'file' && expected === EOF) {
        if (actual.tokenType.name === 'Kw_arch') return '`arch` must come once, before the first engine';
        return `expected \`engine\`, found ${found}`;
      }
      if (ruleName === 'interpolation' && expected === EOF)
        return `expected \`}\` after the interpolated expression, found ${found}`;
      const where = context(ruleName, expected, hints);
      return `expected ${label(expected)}${where !== undefined ? ` ${where}` : ''}, found ${found}`;
    },
    buildNotAllInputParsedMessage({ firstRedundant }) {
      hints.lastExpected = undefined;
      return `expected \`engine\`, found ${describeToken(firstRedundant, hints.endName)}`;
    },
    buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
      hints.lastExpected = undefined;
      const found = actual[0] !== undefined ? describeToken(actual[0], hints.endName) : hints.endName;
      if (customUserDescription !== undefined) return `expected ${customUserDescription}, found ${found}`;
      const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? label(path[0]) : '')));
      return `expected ${oneOf(firsts.filter((s) => s !== ''))}, found ${found}`;
    },
    buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
      hints.lastExpected = undefined;
      const found = actual[0] !== undefined ? describeToken(actual[0], hints.endName) : hints.endName;
      if (customUserDescription !== undefined) return `expected ${customUserDescription}, found ${found}`;
      const firsts = expectedIterationPaths.map((path) => (path[0] ? label(path[0]) : ''));
      return `expected ${oneOf(firsts.filter((s) => s !== ''))}, found ${found}`;
    },
  };
}
