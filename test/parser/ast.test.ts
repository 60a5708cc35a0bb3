import { describe, expect, it } from 'vitest';
import type { Block, Engine, Expr, Handler, Member, Step } from '../../src/parser/ast.js';
import { parseClean, parseText, spanText } from './helpers.js';

/** The members of the only engine of `text`. */
function members(text: string): readonly Member[] {
  const engine = parseClean(text).program.engines[0] as Engine;
  return engine.members;
}

/** The steps of `on x do STEPS` in an engine. */
function steps(stepsText: string): readonly Step[] {
  return ((members(`engine e { on x do ${stepsText} }`)[0] as Handler).body as Block).steps;
}

/** The expression `text`, read as a state initialiser. */
function expr(text: string): Expr {
  const m = members(`engine e { state v: int = ${text} }`)[0];
  if (m?.kind !== 'StateDecl' || m.init === undefined) throw new Error('no initialiser');
  return m.init;
}

/** A compact rendering of an expression tree, to compare precedence. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'IntLit':
      return String(e.value);
    case 'NameExpr':
      return e.name.name;
    case 'BoolLit':
      return String(e.value);
    case 'DurationLit':
      return `${e.nanos}ns`;
    case 'StringLit':
      return JSON.stringify(e.parts.map((p) => (typeof p === 'string' ? p : show(p))));
    case 'UnaryExpr':
      return `(${e.op} ${show(e.operand)})`;
    case 'BinaryExpr':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'InExpr':
      return `(${show(e.value)} in {${e.set.map(show).join(', ')}})`;
    case 'FieldExpr':
      return `${show(e.object)}.${e.field.name}`;
    case 'IndexExpr':
      return `${show(e.object)}[${show(e.index)}]`;
    case 'CallExpr':
      return `${e.callee.name}(${e.args.map(show).join(', ')})`;
    case 'ErrorExpr':
      return '<error>';
  }
}

describe('file structure', () => {
  it('reads `arch` and several engines', () => {
    const text = 'arch aarch64\nengine a { }\nengine b { on exit do detach }';
    const { program } = parseClean(text);
    expect(program.arch?.name.name).toBe('aarch64');
    expect(spanText(text, program.arch?.span ?? { start: 0, end: 0 })).toBe('arch aarch64');
    expect(program.engines.map((e) => [e.name.name, e.members.length])).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(spanText(text, program.engines[1]?.span ?? { start: 0, end: 0 })).toBe('engine b { on exit do detach }');
  });

  it('reads state with and without an initial value, and nested type arguments', () => {
    const text = 'engine e { state a: int state b: map<syscall, list<regs>> = x state c: bool = true }';
    const [a, b, c] = members(text);
    expect(a).toMatchObject({ kind: 'StateDecl', name: { name: 'a' }, type: { name: { name: 'int' }, args: [] } });
    expect(a && 'init' in a).toBe(false);
    expect(b).toMatchObject({
      type: {
        name: { name: 'map' },
        args: [{ name: { name: 'syscall' } }, { name: { name: 'list' }, args: [{ name: { name: 'regs' } }] }],
      },
      init: { kind: 'NameExpr', name: { name: 'x' } },
    });
    expect(spanText(text, b?.kind === 'StateDecl' ? b.type.span : { start: 0, end: 0 })).toBe(
      'map<syscall, list<regs>>',
    );
    expect(c).toMatchObject({ init: { kind: 'BoolLit', value: true } });
  });

  it('reads a handler with binding and guard, and `attach`/`detach` as event names', () => {
    const text =
      'engine e { on syscall_exit(call) when call.ret < 0 do resume on attach do nothing on detach do nothing }';
    const [h, at, de] = members(text);
    expect(h).toMatchObject({ kind: 'Handler', event: { name: 'syscall_exit' }, binding: { name: 'call' } });
    expect(h?.kind === 'Handler' && h.guard !== undefined && show(h.guard)).toBe('(call.ret < 0)');
    expect(at).toMatchObject({ kind: 'Handler', event: { name: 'attach' } });
    expect(de).toMatchObject({ kind: 'Handler', event: { name: 'detach' } });
    expect(h && 'binding' in h && at && 'binding' in at).toBe(false);
  });

  it('reads control operations with and without parameters, and timers with guards', () => {
    const [c1, c2, c3, t] = members(
      'engine e { control a do nothing control b() do nothing control c(x: int, y: list<int>) do nothing every 10ms when on_ do nothing }',
    );
    expect(c1).toMatchObject({ kind: 'ControlDecl', name: { name: 'a' }, params: [] });
    expect(c2).toMatchObject({ kind: 'ControlDecl', params: [] });
    expect(c3).toMatchObject({
      params: [
        { kind: 'Param', name: { name: 'x' }, type: { name: { name: 'int' } } },
        { name: { name: 'y' }, type: { name: { name: 'list' } } },
      ],
    });
    expect(t).toMatchObject({
      kind: 'TimerDecl',
      period: { kind: 'DurationLit', nanos: 10_000_000n },
      guard: { kind: 'NameExpr' },
    });
  });
});

describe('steps', () => {
  it('`on quiesce do fetch regs then resume` is a fetch of the registers then a resume', () => {
    const h = members('engine e { on quiesce do fetch regs then resume }')[0];
    expect(h).toMatchObject({
      kind: 'Handler',
      event: { name: 'quiesce' },
      body: {
        steps: [
          { kind: 'FetchStep', what: 'regs' },
          { kind: 'ActionStep', action: 'resume' },
        ],
      },
    });
  });

  it('reads every fetch form', () => {
    expect(steps('fetch regs into snaps then fetch mem(a, 16) into buf then resume')).toMatchObject([
      { kind: 'FetchStep', what: 'regs', into: { kind: 'NameExpr', name: { name: 'snaps' } } },
      {
        kind: 'FetchStep',
        what: 'mem',
        addr: { name: { name: 'a' } },
        len: { value: 16n },
        into: { name: { name: 'buf' } },
      },
      { kind: 'ActionStep' },
    ]);
  });

  it('reads set, +=, -=, append, emit and attach', () => {
    expect(
      steps(
        'set a[1] = 2 then n += 1 then n -= 2 then append x to l then emit "hi" then attach f to c.child then resume',
      ),
    ).toMatchObject([
      { kind: 'SetStep', target: { kind: 'IndexExpr' }, value: { value: 2n } },
      { kind: 'UpdateStep', op: '+=', target: { name: { name: 'n' } }, value: { value: 1n } },
      { kind: 'UpdateStep', op: '-=' },
      { kind: 'AppendStep', value: { name: { name: 'x' } }, target: { name: { name: 'l' } } },
      { kind: 'EmitStep', value: { kind: 'StringLit', parts: ['hi'] } },
      { kind: 'AttachStep', engine: { name: 'f' }, task: { kind: 'FieldExpr', field: { name: 'child' } } },
      { kind: 'ActionStep', action: 'resume' },
    ]);
  });

  it('reads events changes, barrier and nothing, with and without matched status', () => {
    expect(
      steps(
        'events +exec -clone then events -x match { done => nothing } then barrier then barrier match { _ => nothing } then nothing',
      ),
    ).toMatchObject([
      {
        kind: 'EventsStep',
        changes: [
          { sign: '+', event: { name: 'exec' } },
          { sign: '-', event: { name: 'clone' } },
        ],
      },
      { kind: 'EventsStep', arms: [{ patterns: [{ kind: 'NamePattern', name: { name: 'done' } }] }] },
      { kind: 'BarrierStep' },
      { kind: 'BarrierStep', arms: [{ patterns: [{ kind: 'WildcardPattern' }] }] },
      { kind: 'NothingStep' },
    ]);
  });

  it('reads every resume action, with its status matched in control code', () => {
    for (const action of ['stop', 'interrupt', 'report', 'singlestep', 'blockstep', 'resume', 'detach']) {
      expect(steps(action)).toEqual([expect.objectContaining({ kind: 'ActionStep', action })]);
    }
    const [stop] = steps('stop match { stopped => fetch regs then resume, pending, gone => nothing, }');
    expect(stop).toMatchObject({
      kind: 'ActionStep',
      action: 'stop',
      arms: [
        { patterns: [{ name: { name: 'stopped' } }], body: { steps: [{ kind: 'FetchStep' }, { kind: 'ActionStep' }] } },
        {
          patterns: [{ name: { name: 'pending' } }, { name: { name: 'gone' } }],
          body: { steps: [{ kind: 'NothingStep' }] },
        },
      ],
    });
  });

  it('reads an `else if` chain as nested IfSteps, each spanning to the end of the chain', () => {
    const text = 'engine e { on x do if a { nothing } else if b { nothing } else { abort } then resume }';
    const [step] = ((members(text)[0] as Handler).body as Block).steps;
    expect(step).toMatchObject({
      kind: 'IfStep',
      cond: { name: { name: 'a' } },
      then: { steps: [{ kind: 'NothingStep' }] },
      else: { kind: 'IfStep', cond: { name: { name: 'b' } }, else: { kind: 'Block', steps: [{ kind: 'AbortStep' }] } },
    });
    expect(spanText(text, step?.span ?? { start: 0, end: 0 })).toBe(
      'if a { nothing } else if b { nothing } else { abort }',
    );
    const inner = step?.kind === 'IfStep' ? step.else : undefined;
    expect(spanText(text, inner?.span ?? { start: 0, end: 0 })).toBe('if b { nothing } else { abort }');
  });

  it('reads match with names, literals, wildcards and several patterns per arm; arms need no separator', () => {
    const [m] = steps(
      'match call.nr { openat, open => n += 1  1 => nothing "x" => nothing true => nothing _ => nothing } then resume',
    );
    expect(m).toMatchObject({
      kind: 'MatchStep',
      subject: { kind: 'FieldExpr' },
      arms: [
        { patterns: [{ kind: 'NamePattern' }, { kind: 'NamePattern' }], body: { steps: [{ kind: 'UpdateStep' }] } },
        { patterns: [{ kind: 'LiteralPattern', value: { kind: 'IntLit', value: 1n } }] },
        { patterns: [{ kind: 'LiteralPattern', value: { kind: 'StringLit', parts: ['x'] } }] },
        { patterns: [{ kind: 'LiteralPattern', value: { kind: 'BoolLit', value: true } }] },
        { patterns: [{ kind: 'WildcardPattern' }] },
      ],
    });
  });

  it('reads await with and without `within` and arms', () => {
    expect(
      steps(
        'await stopped then await stopped within 1s match { stopped => nothing timeout => nothing gone => nothing }',
      ),
    ).toMatchObject([
      { kind: 'AwaitStep' },
      { kind: 'AwaitStep', within: { kind: 'DurationLit', nanos: 1_000_000_000n }, arms: [{}, {}, {}] },
    ]);
    expect(steps('await stopped')[0]).not.toHaveProperty('within');
  });

  it('reads abort, every fate (with `stop` the keyword) and assert with and without a message', () => {
    const text =
      'engine e { on x do abort then fate stop then fate core then assert a then assert not b, "msg" then resume }';
    const s = ((members(text)[0] as Handler).body as Block).steps;
    expect(s).toMatchObject([
      { kind: 'AbortStep' },
      { kind: 'FateStep', fate: 'stop' },
      { kind: 'FateStep', fate: 'core' },
      { kind: 'AssertStep', cond: { kind: 'NameExpr' } },
      { kind: 'AssertStep', cond: { kind: 'UnaryExpr', op: 'not' }, message: { parts: ['msg'] } },
      { kind: 'ActionStep' },
    ]);
    const fate = s[1];
    expect(fate?.kind === 'FateStep' && spanText(text, fate.fateSpan)).toBe('stop');
    for (const f of ['deliver', 'ignore', 'terminate', 'handler'])
      expect(steps(`fate ${f}`)[0]).toMatchObject({ fate: f });
  });

  it('in a match arm, `assert c, "x" => …` starts the next arm instead of taking a message', () => {
    const [m] = steps('match v { 1 => assert c, "x" => nothing }');
    expect(m).toMatchObject({
      arms: [
        { patterns: [{ value: { value: 1n } }], body: { steps: [{ kind: 'AssertStep' }] } },
        { patterns: [{ value: { kind: 'StringLit', parts: ['x'] } }] },
      ],
    });
    expect(m?.kind === 'MatchStep' && m.arms[0]?.body.steps[0]).not.toHaveProperty('message');
  });
});

describe('expressions', () => {
  it('applies precedence: or < and < not < comparisons < + - < * / % < unary minus < postfix', () => {
    expect(show(expr('a or b and c'))).toBe('(a or (b and c))');
    expect(show(expr('not a == b and c'))).toBe('((not (a == b)) and c)');
    expect(show(expr('a + b * c - d'))).toBe('((a + (b * c)) - d)');
    expect(show(expr('-a * b % c'))).toBe('(((- a) * b) % c)');
    expect(show(expr('a - -b'))).toBe('(a - (- b))');
    expect(show(expr('(a + b) * c'))).toBe('((a + b) * c)');
    expect(show(expr('a < b + 1 or c >= d'))).toBe('((a < (b + 1)) or (c >= d))');
    expect(show(expr('not not a'))).toBe('(not (not a))');
    expect(show(expr('a and not b or c'))).toBe('((a and (not b)) or c)');
    expect(show(expr('f(x.y[1], g())'))).toBe('f(x.y[1], g())');
    expect(show(expr('call.nr in {read, write} and ok'))).toBe('((call.nr in {read, write}) and ok)');
    expect(show(expr('a != b'))).toBe('(a != b)');
  });

  it('reads literals: decimal, hex and underscored integers, durations in nanoseconds, booleans', () => {
    expect(expr('1_000')).toMatchObject({ kind: 'IntLit', value: 1000n });
    expect(expr('0xFFFF_FFFF_FFFF_FFFF')).toMatchObject({ kind: 'IntLit', value: 2n ** 64n - 1n });
    const units: [string, bigint][] = [
      ['5ns', 5n],
      ['250us', 250_000n],
      ['10ms', 10_000_000n],
      ['1s', 1_000_000_000n],
      ['2m', 120_000_000_000n],
      ['1h', 3_600_000_000_000n],
    ];
    for (const [text, nanos] of units) expect(expr(text)).toMatchObject({ kind: 'DurationLit', nanos });
    expect(expr('false')).toMatchObject({ kind: 'BoolLit', value: false });
  });

  it('gives each operator node the span from its first to its last token', () => {
    const text = 'engine e { state v: int = -a.b * (c + 1) }';
    const e = (members(text)[0] as { init: Expr }).init;
    expect(spanText(text, e.span)).toBe('-a.b * (c + 1)');
    if (e.kind !== 'BinaryExpr') throw new Error(e.kind);
    expect(spanText(text, e.left.span)).toBe('-a.b');
    expect(spanText(text, e.right.span)).toBe('(c + 1)');
  });

  it('calls only a name: a call of anything else is an error and an ErrorExpr', () => {
    const text = 'engine e { state v: int = x.y[1].z(2) }';
    const r = parseText(text);
    expect(r.diagnostics.map((d) => [d.code, d.message, spanText(text, d.span)])).toEqual([
      ['UTR1009', 'only a library function can be called, by its name', '('],
    ]);
    const m = r.program.engines[0]?.members[0];
    expect(m?.kind === 'StateDecl' && m.init !== undefined && spanText(text, m.init.span)).toBe('x.y[1].z(2)');
    expect(m).toMatchObject({ init: { kind: 'ErrorExpr' } });
  });
});

describe('strings', () => {
  it('decodes escapes and keeps literal parts unescaped', () => {
    expect(expr('"a\\n\\t\\r\\0\\\\\\"\\{\\}\\u{1F600}z"')).toMatchObject({
      kind: 'StringLit',
      parts: ['a\n\t\r\0\\"{}😀z'],
    });
    expect(expr('""')).toMatchObject({ kind: 'StringLit', parts: [] });
  });

  it('parses interpolations as expressions with absolute spans, nested strings included', () => {
    const text = 'engine e { state v: string = "open {path(call.arg[1])} = {f("x{y}")}!" }';
    const e = (members(text)[0] as { init: Expr }).init;
    if (e.kind !== 'StringLit') throw new Error(e.kind);
    expect(e.parts.map((p) => (typeof p === 'string' ? p : show(p)))).toEqual([
      'open ',
      'path(call.arg[1])',
      ' = ',
      'f(["x","y"])',
      '!',
    ]);
    const [, call, , nested] = e.parts;
    expect(typeof call !== 'string' && call !== undefined && spanText(text, call.span)).toBe('path(call.arg[1])');
    if (typeof nested === 'string' || nested?.kind !== 'CallExpr') throw new Error('no call');
    const inner = nested.args[0];
    if (inner?.kind !== 'StringLit') throw new Error('no inner string');
    const y = inner.parts[1];
    expect(typeof y !== 'string' && y !== undefined && spanText(text, y.span)).toBe('y');
  });

  it('reports errors inside an interpolation at their place in the file', () => {
    const text = 'engine e { state v: string = "a {1 + } b" }';
    const r = parseText(text);
    expect(r.diagnostics.map((d) => [d.code, spanText(text, d.span)])).toEqual([['UTR1002', '}']]);
  });
});

describe('comments', () => {
  it('are returned in order with their spans, `# utr-allow` ones included', () => {
    const text = '# head\nengine e { # utr-allow UTR3002: reason\n  on x do resume # tail\n}';
    const r = parseClean(text);
    expect(r.comments.map((c) => c.text)).toEqual(['# head', '# utr-allow UTR3002: reason', '# tail']);
    for (const c of r.comments) expect(spanText(text, c.span)).toBe(c.text);
  });
});
