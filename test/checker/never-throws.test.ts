import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { parse } from '../../src/parser/index.js';

// The checker runs on whatever tree the parser recovers from broken input, so it must survive anything.
const dir = join(import.meta.dirname, '../fixtures/semantic');
const seeds = readdirSync(dir)
  .filter((f) => f.endsWith('.utr'))
  .sort()
  .map((f) => readFileSync(join(dir, f), 'utf8'));

// Words that steer the parser into every construct, plus names the checker resolves specially.
const WORDS = [
  'engine e {',
  '}',
  '{',
  'state',
  'x',
  ':',
  'int',
  'map<syscall, count>',
  'list<regs>',
  'hist',
  '=',
  'on',
  'quiesce',
  'syscall_entry',
  'syscall_exit',
  'signal',
  'death',
  'reap',
  'attach',
  'detach',
  '(call)',
  '(q)',
  'when',
  'do',
  'then',
  'control',
  'c(n: int)',
  'every',
  '10ms',
  '0ms',
  'fetch regs',
  'fetch mem(0, 8) into x',
  'into',
  'set',
  '+=',
  '-=',
  'append',
  'to',
  'emit',
  'table(x)',
  'path(call.arg[1])',
  'len(x)',
  'hex(1)',
  'str(regs)',
  'events',
  '+exec',
  '-clone',
  'barrier',
  'nothing',
  'if',
  'else',
  'match',
  '=>',
  '_',
  'stopped',
  'pending',
  'gone',
  'done',
  'timeout',
  'already',
  'stop',
  'resume',
  'detach',
  'singlestep',
  'await stopped',
  'within 1s',
  'abort',
  'fate ignore',
  'assert',
  'call.nr',
  'call.ret',
  'q.event',
  'exit',
  'openat',
  'SIGSEGV',
  'task',
  'regs.rip',
  'regs',
  '==',
  '<',
  'and',
  'not',
  'in {1, 2}',
  '"s {x}"',
  '1',
  'true',
  ',',
  'constructor',
  'toString',
  '__proto__',
  'arch',
  'aarch64',
];

/** Freezes the whole tree: any write by the checker then throws (modules are strict), so "never mutates" is tested too. */
function deepFreeze<V>(v: V): V {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

function checkText(text: string): void {
  const source = new SourceFile('fuzz.utr', text);
  const parsed = parse(source);
  deepFreeze(parsed.program);
  const checked = check(parsed, { source });
  // Checking is a function of its input: a second run reports exactly the same.
  expect(check(parsed, { source }).diagnostics).toEqual(checked.diagnostics);
  for (const d of checked.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect(d.message).not.toMatch(/undefined|\[object|NaN/);
  }
}

describe('check never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => checkText(text)),
      { numRuns: 300 },
    );
  });

  it('on sequences of language words', () => {
    const words = fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(words, (text) => checkText(text)),
      { numRuns: 500 },
    );
  });

  it('on generated engines that parse but may be ill-typed', () => {
    const name = fc.constantFrom(
      'x',
      'n',
      'm',
      'xs',
      'h',
      'call',
      'q',
      'task',
      'regs',
      'openat',
      'exit',
      'SIGINT',
      'stopped',
      'zz',
    );
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { maxDepth: 3, withCrossShrink: true },
        name,
        fc.constantFrom(
          '1',
          '0x10',
          '10ms',
          '"s"',
          'true',
          'call.nr',
          'call.arg[2]',
          'call.ret',
          'q.event',
          'regs.rip',
          'task.pid',
        ),
        fc
          .tuple(tie('expr'), fc.constantFrom('==', '<', '+', '*', 'and', 'or', '%'), tie('expr'))
          .map(([a, o, b]) => `(${a} ${o} ${b})`),
        fc
          .tuple(fc.constantFrom('path', 'len', 'table', 'hex', 'str', 'nope'), tie('expr'))
          .map(([f, a]) => `${f}(${a})`),
        fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `${a}[${b}]`),
        tie('expr').map((a) => `"v={${a}}"`),
        fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `(${a} in {${b}, 1})`),
      ),
    }));
    const arms = (body: fc.Arbitrary<string>) =>
      fc
        .array(fc.tuple(fc.constantFrom('stopped', 'pending', 'gone', 'done', 'timeout', '_', 'openat', '1'), body), {
          minLength: 1,
          maxLength: 4,
        })
        .map((as) => `match { ${as.map(([p, b]) => `${p} => ${b}`).join(' ')} }`);
    const { steps } = fc.letrec<{ steps: string; step: string }>((tie) => ({
      step: fc.oneof(
        { maxDepth: 2 },
        fc.constantFrom(
          'resume',
          'stop',
          'detach',
          'nothing',
          'fetch regs',
          'abort',
          'fate ignore',
          'barrier',
          'await stopped',
          'events +exec -clone',
        ),
        fc.tuple(expr, expr).map(([a, b]) => `set ${a} = ${b}`),
        fc.tuple(expr, expr).map(([a, b]) => `${a} += ${b}`),
        fc.tuple(expr, expr).map(([a, b]) => `append ${a} to ${b}`),
        expr.map((a) => `emit ${a}`),
        expr.map((a) => `fetch regs into ${a}`),
        expr.map((a) => `assert ${a}`),
        expr.map((a) => `attach e to ${a}`),
        fc.tuple(expr, tie('steps'), tie('steps')).map(([c, a, b]) => `if ${c} { ${a} } else { ${b} }`),
        fc.tuple(expr, arms(tie('steps'))).map(([c, a]) => `match ${c} ${a.slice('match '.length)}`),
        fc
          .tuple(fc.constantFrom('stop', 'resume', 'detach', 'await stopped within 1s', 'barrier'), arms(tie('steps')))
          .map(([k, a]) => `${k} ${a}`),
      ),
      steps: fc.array(tie('step'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(' then ')),
    }));
    const member = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('x', 'n', 'm', 'xs', 'h'),
          fc.constantFrom('int', 'bool', 'map<syscall, count>', 'list<regs>', 'hist', 'nope', 'map<regs, int>'),
        )
        .map(([n, t]) => `state ${n}: ${t}`),
      fc
        .tuple(
          fc.constantFrom(
            'quiesce(q)',
            'syscall_entry(call)',
            'syscall_exit(call)',
            'signal(call)',
            'reap',
            'attach',
            'death(q)',
            'bogus',
          ),
          fc.option(expr),
          steps,
        )
        .map(([ev, g, b]) => `on ${ev}${g === null ? '' : ` when ${g}`} do ${b}`),
      fc.tuple(fc.constantFrom('c', 'd'), steps).map(([n, b]) => `control ${n}(n: int) do ${b}`),
      fc.tuple(fc.constantFrom('10ms', '0s', 'x', '1'), steps).map(([p, b]) => `every ${p} do ${b}`),
    );
    const file = fc.array(member, { maxLength: 8 }).map((ms) => `engine e {\n${ms.join('\n')}\n}\n`);
    // Most generated files must parse, or this would only test the parser's recovery.
    const sample = fc.sample(file, { numRuns: 50, seed: 1 });
    const clean = sample.filter((t) => parse(new SourceFile('g.utr', t)).diagnostics.length === 0).length;
    const reached = new Set(
      sample.flatMap((t) => {
        const source = new SourceFile('g.utr', t);
        return check(parse(source), { source }).diagnostics.map((d) => d.code);
      }),
    );
    // ... and they reach deep into the checker, not just its first error.
    expect(reached.size).toBeGreaterThan(15);
    expect(clean).toBeGreaterThan(25);
    fc.assert(
      fc.property(file, (text) => checkText(text)),
      { numRuns: 200 },
    );
  });

  it('on mutated fixtures', () => {
    const mutation = fc.record({
      seed: fc.nat({ max: seeds.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 12 }),
      insert: fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(mutation, ({ seed, at, cut, insert }) => {
        const text = seeds[seed] ?? '';
        const i = text.length === 0 ? 0 : at % text.length;
        checkText(`${text.slice(0, i)} ${insert} ${text.slice(i + cut)}`);
      }),
      { numRuns: 500 },
    );
  });
});
