import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { fastParse } from '../../src/parser/fast.js';
import { parse, parseWithRecovery } from '../../src/parser/index.js';
import { tokenize } from '../../src/parser/lexer.js';
import { KEYWORDS } from '../../src/parser/tokens.js';
import { docExamples } from '../support/doc-examples.js';

// The fast path must never change a result: `parse` (fast path first) and the Chevrotain parser alone must agree on
// every text, and the fast path must take every well-formed file it is meant for.

/** A parse result as text, key order included (later phases see the same object shapes either way). */
function snapshot(r: unknown): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 1);
}

/** How many texts `agrees` saw the fast path take: a property whose inputs it never takes would test nothing. */
let taken = 0;

function agrees(text: string): void {
  const source = new SourceFile('test.utr', text);
  expect(snapshot(parse(source))).toBe(snapshot(parseWithRecovery(source)));
  if (fastTakes(text)) taken++;
}

/** Runs `property` and checks the fast path took at least `min` of its inputs. */
function assertTaking(property: fc.IPropertyWithHooks<[string]>, numRuns: number, min: number): void {
  taken = 0;
  fc.assert(property, { numRuns });
  expect(taken).toBeGreaterThanOrEqual(min);
}

/** Whether the fast path reads `text` by itself. */
function fastTakes(text: string): boolean {
  return fastParse(text) !== undefined;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function utrFiles(dir: string): string[] {
  return readdirSync(root + dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(root + path).isDirectory()) return utrFiles(path);
    return name.endsWith('.utr') ? [path] : [];
  });
}

/** Every `.utr` file of the repository (examples and test fixtures, broken ones included) and every doc example. */
const CORPUS: { name: string; text: string }[] = [
  ...[...utrFiles('examples'), ...utrFiles('test')].map((path) => ({
    name: path,
    text: readFileSync(root + path, 'utf8'),
  })),
  ...['docs/language.md', 'README.md'].flatMap((doc) =>
    docExamples(doc).map((e) => ({ name: `${doc}:${e.line}`, text: e.code })),
  ),
];

describe('the fast path', () => {
  it('gives the same result as the Chevrotain parser on every file and doc example of the repository', () => {
    expect(CORPUS.length).toBeGreaterThan(150);
    for (const { name, text } of CORPUS) {
      const source = new SourceFile(name, text);
      expect(snapshot(parse(source)), name).toBe(snapshot(parseWithRecovery(source)));
    }
  });

  it('takes every well-formed file of the repository, so that well-formed files are parsed fast', () => {
    const missed = CORPUS.filter(
      ({ text }) => parseWithRecovery(new SourceFile('t.utr', text)).diagnostics.length === 0 && !fastTakes(text),
    ).map((c) => c.name);
    expect(missed).toEqual([]);
    // Broken files are left to the Chevrotain parser.
    for (const { name, text } of CORPUS.filter((c) => c.name.includes('/syntax/'))) {
      expect(fastTakes(text), name).toBe(false);
    }
  });

  it('gives up exactly where a limit of the full parser is reached', () => {
    const handler = (expr: string) => `engine e {\n  on exec do emit ${expr}\n}\n`;
    const sum = (n: number) => Array.from({ length: n }, () => 'a').join(' + ');
    const fields = (n: number) => `a${'.b'.repeat(n)}`;
    const type = (n: number) => `${'list<'.repeat(n)}int${'>'.repeat(n)}`;
    const nested = (n: number): string => (n === 0 ? 'x' : `"{${nested(n - 1)}}"`);
    const elseIfs = (n: number) =>
      `engine e {\n  on exec do if a { nothing }${' else if a { nothing }'.repeat(n)} else { nothing }\n}\n`;
    for (const text of [
      handler(sum(64)),
      handler(sum(65)),
      handler(sum(200)),
      handler(fields(63)),
      handler(fields(64)),
      handler(fields(130)),
      handler(`${'('.repeat(32)}x${')'.repeat(32)}`),
      handler(`${'('.repeat(33)}x${')'.repeat(33)}`),
      handler(nested(4)),
      handler(nested(5)),
      handler(nested(6)),
      `engine e {\n  state s: ${type(16)}\n}\n`,
      `engine e {\n  state s: ${type(17)}\n}\n`,
      elseIfs(126),
      elseIfs(127),
      elseIfs(128),
      handler('"{a # not a comment, the segment ends at the brace}"'),
      // One token per level: the tallest expressions for their length.
      handler(`${'not '.repeat(127)}x`),
      handler(`${'not '.repeat(128)}x`),
      handler(`${'- '.repeat(127)}x`),
      handler(`${'- '.repeat(128)}x`),
      // Tall through a parenthesis: the tokens inside count towards the whole expression.
      handler(`${'not '.repeat(63)}(${'not '.repeat(64)}x)`),
      handler(`${'not '.repeat(64)}(${'not '.repeat(64)}x)`),
    ]) {
      agrees(text);
    }
    expect(fastTakes(handler(`${'not '.repeat(127)}x`))).toBe(true);
    // Well inside the limits, the fast path takes them.
    expect(fastTakes(handler(sum(64)))).toBe(true);
    expect(fastTakes(handler(nested(4)))).toBe(true);
    expect(fastTakes(`engine e {\n  state s: ${type(16)}\n}\n`)).toBe(true);
    expect(fastTakes(elseIfs(126))).toBe(true);
  });
});

describe('the fast path leaves to the Chevrotain parser', () => {
  it('every construct the grammar reads but its actions reject', () => {
    const step = (text: string) => `engine e {\n  control c do ${text}\n}\n`;
    for (const text of [
      step('fetch regs()'),
      step('fetch regs(a) into r'),
      step('fetch mem(a) into b'),
      step('fetch mem(a, b, c) into d'),
      step('fetch mem(a, b)'),
      step('fetch stack into s'),
      step('fate later'),
      step('await running'),
      step('emit a.b(c)'),
      step('emit (f)(x)'),
      step('emit 0x'),
      step('emit 0x_'),
      step('emit 18446744073709551616'),
      step('emit 0x1_0000_0000_0000_0000'),
      step('emit 18446744073709551615s'),
      step('emit 12abc'),
      step('emit "\\q"'),
      step('emit "{}"'),
      step('emit "}"'),
      step('emit "\\u{110000}"'),
      step('emit "open'),
      step('emit a == b == c'),
      step('emit a < b in {c}'),
      step('emit a + not b'),
      step('emit - not b'),
      step('set x = y'),
    ]) {
      agrees(text);
    }
    // The last is well formed: a control for the check above.
    expect(fastTakes(step('set x = y'))).toBe(true);
    expect(fastTakes(step('emit 18446744073709551615'))).toBe(true);
    expect(fastTakes(step('fetch mem(a, b) into c'))).toBe(true);
    for (const bad of ['fetch regs()', 'fetch mem(a) into b', 'fate later', 'await running', 'emit 0x', 'emit "{}"']) {
      expect(fastTakes(step(bad)), bad).toBe(false);
    }
  });
});

describe('the fast path decides as the grammar does', () => {
  it('where the grammar looks ahead: `assert C, "message"` against the next arm of a match', () => {
    const arms = (body: string) => `engine e {\n  control c do stop match { ${body} }\n}\n`;
    for (const body of [
      'x => assert a, "m", y => nothing',
      'x => assert a, "m" y => nothing',
      'x => assert a, "m" => nothing',
      'x => assert a, "m", "n" => nothing',
      'x => assert a, "m"',
      'x => assert a, y => nothing',
    ]) {
      const text = arms(body);
      agrees(text);
      expect(fastTakes(text), body).toBe(true);
    }
  });
});

describe('the fast path on hostile input', () => {
  it('gives up without throwing or overflowing the stack', () => {
    const handler = (body: string) => `engine e {\n  on exec do ${body}\n}\n`;
    const n = 50_000;
    for (const text of [
      handler(`emit ${'('.repeat(n)}x${')'.repeat(n)}`),
      handler(`emit ${'a['.repeat(n)}0${']'.repeat(n)}`),
      handler(`emit ${'"{'.repeat(n)}x${'}"'.repeat(n)}`),
      handler(`emit ${Array.from({ length: n }, () => 'a').join(' + ')}`),
      handler(`emit ${'not '.repeat(n)}x`),
      handler(`emit ${'- '.repeat(n)}x`),
      handler(`emit a${'.b'.repeat(n)}`),
      handler(`if a { nothing }${' else if a { nothing }'.repeat(n)}`),
      handler(`${'if a { '.repeat(n)}nothing${' }'.repeat(n)}`),
      handler(`stop match { x => ${'stop match { x => '.repeat(n)}nothing${' }'.repeat(n)} }`),
      `engine e {\n  state s: ${'list<'.repeat(n)}int${'>'.repeat(n)}\n}\n`,
      handler(`emit "${'x'.repeat(2_000_000)}`),
      '\u0000\uFFFF\uD800'.repeat(n),
    ]) {
      expect(fastParse(text), text.slice(0, 60)).toBeUndefined();
    }
    // The same shapes at a size the limits allow are read.
    expect(fastParse(handler(`emit a${'.b'.repeat(60)}`))).toBeDefined();
    expect(fastParse(handler(`${'if a { '.repeat(30)}nothing${' }'.repeat(30)}`))).toBeDefined();
    expect(fastParse(handler(`emit ${'x'.repeat(2_000_000)} then resume`))).toBeDefined();
  });
});

const WELL_FORMED = CORPUS.filter(
  ({ text }) => parseWithRecovery(new SourceFile('t.utr', text)).diagnostics.length === 0,
);

const TOKENS = [
  ...KEYWORDS,
  ...['(', ')', '{', '}', '[', ']', ',', ':', '.', '=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'],
  ...['+=', '-=', '=>', '"s"', '"a {x} b"', '"{x}{y}"', '"{', '}"', '"\\q"', '"open', '42', '0x2a', '0x', '10ms'],
  ...['99999999999999999999999', '12abc', '_', 'x', 'call', 'regs', 'mem', 'stopped', 'deliver', 'ignore'],
  ...['syscall_entry', 'quiesce', '# comment\n', '\n', 'call.nr', 'x in {a, b}', 'not x', '-x', 'f(x)', 'a[b]'],
];

/** Random programs from the grammar, mostly well formed (operators mix freely, so some comparisons chain). */
const programs = (() => {
  const name = fc.constantFrom('a', 'b', 'call', 'x_1', '_', 'regs', 'stopped', 'gone', 'sig');
  const field = fc.constantFrom('nr', 'arg', 'ret', 'signo', 'rip', 'stop', 'in', 'state');
  const literal = fc.constantFrom(
    '0',
    '42',
    '0x2a',
    '1_000',
    '10ms',
    '1h',
    'true',
    'false',
    '"s"',
    '""',
    '"\\n\\u{41}"',
  );
  const op = fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', 'and', 'or');
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      literal,
      name,
      fc.tuple(tie('expr'), op, tie('expr')).map(([l, o, r]) => `${l} ${o} ${r}`),
      fc.tuple(fc.constantFrom('not ', '-', '- ', 'not not '), tie('expr')).map(([p, e]) => `${p}${e}`),
      fc.tuple(tie('expr'), field).map(([e, f]) => `${e}.${f}`),
      fc.tuple(tie('expr'), tie('expr')).map(([e, i]) => `${e}[${i}]`),
      fc
        .tuple(fc.constantFrom('hex', 'path', 'len'), fc.array(tie('expr'), { maxLength: 2 }))
        .map(([f, args]) => `${f}(${args.join(', ')})`),
      fc
        .tuple(tie('expr'), fc.array(tie('expr'), { minLength: 1, maxLength: 3 }))
        .map(([e, set]) => `${e} in {${set.join(', ')}}`),
      tie('expr').map((e) => `(${e})`),
      fc.tuple(fc.constantFrom('a ', ''), tie('expr')).map(([t, e]) => `"${t}{${e}} b"`),
    ),
  }));
  // Literals that are no patterns (durations) and strings with interpolations.
  const pattern = fc.constantFrom('10ms', '"{a}"', '"x{a.b}y"', '-1');
  const arms = (steps: fc.Arbitrary<string>) =>
    fc
      .array(
        fc.tuple(fc.array(fc.oneof(name, literal, pattern), { minLength: 1, maxLength: 2 }), steps, fc.boolean()),
        {
          minLength: 1,
          maxLength: 3,
        },
      )
      .map(
        (list) =>
          `match { ${list.map(([ps, st, comma]) => `${ps.join(', ')} => ${st}${comma ? ',' : ''}`).join(' ')} }`,
      );
  const { steps } = fc.letrec<{ steps: string; step: string }>((tie) => ({
    steps: fc.array(tie('step'), { minLength: 1, maxLength: 3 }).map((s) => s.join(' then ')),
    step: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('resume', 'stop', 'detach', 'nothing', 'abort', 'fate ignore', 'fate stop', 'barrier'),
      fc.constantFrom('fetch regs', 'fetch regs into r', 'fetch mem(a, 8) into buf', 'events +exec -clone'),
      arms(tie('steps')).map((a) => `events -attach +detach ${a}`),
      fc.tuple(expr, expr).map(([t, v]) => `set ${t} = ${v}`),
      fc.tuple(expr, fc.constantFrom('+=', '-='), expr).map(([t, o, v]) => `${t} ${o} ${v}`),
      fc.tuple(expr, expr).map(([v, t]) => `append ${v} to ${t}`),
      expr.map((e) => `emit ${e}`),
      expr.map((e) => `attach other to ${e}`),
      fc.tuple(expr, fc.option(fc.constantFrom('"m"', '"{a}"'))).map(([c, m]) => `assert ${c}${m ? `, ${m}` : ''}`),
      fc
        .tuple(expr, tie('steps'), fc.array(fc.tuple(expr, tie('steps')), { maxLength: 2 }), fc.option(tie('steps')))
        .map(
          ([c, t, elifs, e]) =>
            `if ${c} { ${t} }${elifs.map(([c2, t2]) => ` else if ${c2} { ${t2} }`).join('')}${e ? ` else { ${e} }` : ''}`,
        ),
      fc.tuple(expr, arms(tie('steps'))).map(([s, a]) => `match ${s} ${a.slice('match '.length)}`),
      fc.tuple(fc.constantFrom('stop', 'interrupt', 'barrier'), arms(tie('steps'))).map(([a, m]) => `${a} ${m}`),
      fc
        .tuple(fc.option(expr), fc.option(arms(tie('steps'))))
        .map(([w, a]) => `await stopped${w ? ` within ${w}` : ''}${a ? ` ${a}` : ''}`),
    ),
  }));
  const type = fc.constantFrom('int', 'count', 'bool', 'map<syscall, count>', 'list<list<regs>>', 'hist');
  const member = fc.oneof(
    fc.tuple(name, type, fc.option(expr)).map(([n, t, i]) => `state ${n}: ${t}${i ? ` = ${i}` : ''}`),
    fc
      .tuple(fc.constantFrom('exec', 'attach', 'detach', 'syscall_entry'), fc.option(name), fc.option(expr), steps)
      .map(([e, b, g, s]) => `on ${e}${b ? `(${b})` : ''}${g ? ` when ${g}` : ''} do ${s}`),
    fc
      .tuple(name, fc.array(fc.tuple(name, type), { maxLength: 2 }), steps)
      .map(([n, ps, s]) => `control ${n}(${ps.map(([p, t]) => `${p}: ${t}`).join(', ')}) do ${s}`),
    fc.tuple(expr, fc.option(expr), steps).map(([p, g, s]) => `every ${p}${g ? ` when ${g}` : ''} do ${s}`),
  );
  // Between members: a line break, a comment, or (members need no separator) a space.
  const gap = fc.constantFrom('\n  ', '\n  # utr-allow UTR3001: why\n  ', ' ', '\r\n\t');
  const engine = fc
    .tuple(fc.array(fc.tuple(gap, member), { maxLength: 4 }), gap)
    .map(([ms, end]) => `{${ms.map(([g, m]) => g + m).join('')}${end}}`);
  return fc
    .tuple(fc.boolean(), fc.array(engine, { minLength: 1, maxLength: 2 }))
    .map(
      ([arch, engines]) =>
        `${arch ? 'arch x86_64 # the default\n' : ''}${engines.map((body, i) => `engine e${i} ${body}\n`).join('')}`,
    );
})();

describe('the fast path agrees with the Chevrotain parser', () => {
  it('on random programs from the grammar', () => {
    assertTaking(
      fc.property(programs, (t) => agrees(t)),
      500,
      80,
    );
  });

  it('on token soups inside a handler, where most of the grammar is reachable', () => {
    const body = fc
      .array(fc.constantFrom(...TOKENS), { maxLength: 40 })
      .map((parts) => `engine e {\n  on x do ${parts.join(' ')}\n  on y do resume\n}\n`);
    // Mostly broken: these check that what the fast path gives up on is left whole to the Chevrotain parser.
    fc.assert(
      fc.property(body, (t) => agrees(t)),
      { numRuns: 400 },
    );
  });

  it('on token soups inside a control operation with a match', () => {
    const body = fc
      .array(fc.constantFrom(...TOKENS), { maxLength: 30 })
      .map(
        (parts) => `engine e {\n  control c do stop match {\n stopped => ${parts.join(' ')}\n gone => nothing }\n}\n`,
      );
    // Mostly broken: these check that what the fast path gives up on is left whole to the Chevrotain parser.
    fc.assert(
      fc.property(body, (t) => agrees(t)),
      { numRuns: 400 },
    );
  });

  it('on well-formed files with one token inserted, deleted or replaced', () => {
    // Token-level edits keep most of a file well formed, so both parsers get far into it before they disagree.
    const edited = fc
      .tuple(fc.constantFrom(...WELL_FORMED), fc.nat(), fc.constantFrom(...TOKENS), fc.constantFrom(0, 1, 2))
      .map(([{ text }, at, token, op]) => {
        const tokens = tokenize(text).tokens;
        const t = tokens[at % Math.max(tokens.length, 1)];
        if (t === undefined) return text;
        const end = t.startOffset + t.image.length;
        if (op === 0) return `${text.slice(0, t.startOffset)}${token} ${text.slice(t.startOffset)}`;
        if (op === 1) return text.slice(0, t.startOffset) + text.slice(end);
        return `${text.slice(0, t.startOffset)}${token}${text.slice(end)}`;
      });
    assertTaking(
      fc.property(edited, (t) => agrees(t)),
      600,
      15,
    );
  });
});
