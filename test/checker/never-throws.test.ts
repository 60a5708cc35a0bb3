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

function checkText(text: string): void {
  const source = new SourceFile('fuzz.utr', text);
  const checked = check(parse(source), { source });
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
