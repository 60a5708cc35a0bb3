import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYWORDS } from '../../src/parser/tokens.js';
import { docExamples } from '../support/doc-examples.js';
import { parseText, walk } from './helpers.js';

/** What must hold after any parse: no throw, a program, every span inside the text and well ordered. */
function saneParse(text: string): boolean {
  const r = parseText(text);
  if (r.program.kind !== 'Program') return false;
  let ok = true;
  walk(r.program, (n) => {
    if (!(n.span.start >= 0 && n.span.start <= n.span.end && n.span.end <= text.length)) ok = false;
  });
  for (const d of r.diagnostics) {
    if (!(d.span.start >= 0 && d.span.start <= d.span.end && d.span.end <= text.length)) ok = false;
    if (d.message.length === 0 || d.message.includes('\n')) ok = false;
  }
  for (const c of r.comments) if (text.slice(c.span.start, c.span.end) !== c.text) ok = false;
  return ok;
}

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const VALID: string[] = [
  ...docExamples('docs/language.md').map((e) => e.code),
  ...readdirSync(examplesDir)
    .filter((f) => f.endsWith('.utr'))
    .map((f) => readFileSync(examplesDir + f, 'utf8')),
];

const TOKENS = [
  ...KEYWORDS,
  ...['(', ')', '{', '}', '[', ']', ',', ':', '.', '=', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'],
  ...['+=', '-=', '=>', '"s"', '"a {x} b"', '"{', '}"', '"\\q"', '"open', '42', '0x2a', '10ms', '12abc', '_'],
  ...['x', 'call', 'regs', 'mem', 'stopped', 'syscall_entry', 'quiesce', '# comment\n', '\n', '@', '\u0000', 'é'],
];

describe('parse never throws and always returns a program with spans inside the text', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), saneParse), { numRuns: 400 });
  });

  it('on arbitrary token soups', () => {
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '', '\n')), { maxLength: 120 })
      .map((parts) => parts.map(([t, sep]) => t + sep).join(''));
    fc.assert(fc.property(soup, saneParse), { numRuns: 400 });
  });

  it('on token soups inside a handler, where most of the grammar is reachable', () => {
    const body = fc
      .array(fc.constantFrom(...TOKENS), { maxLength: 60 })
      .map((parts) => `engine e {\n  on x do ${parts.join(' ')}\n  on y do resume\n}\n`);
    fc.assert(fc.property(body, saneParse), { numRuns: 400 });
  });

  it('on random mutations (deletions, insertions, swaps) of valid programs', () => {
    expect(VALID.length).toBeGreaterThan(10);
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...TOKENS) }),
      fc.record({
        op: fc.constant('swap' as const),
        at: fc.nat(),
        other: fc.nat(),
        len: fc.integer({ min: 1, max: 8 }),
      }),
    );
    const mutated = fc
      .tuple(fc.constantFrom(...VALID), fc.array(mutation, { minLength: 1, maxLength: 5 }))
      .map(([base, ops]) => {
        let t = base;
        for (const m of ops) {
          const at = m.at % (t.length + 1);
          if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.len);
          else if (m.op === 'insert') t = `${t.slice(0, at)} ${m.text} ${t.slice(at)}`;
          else {
            const b = m.other % (t.length + 1);
            const [x, y] = at < b ? [at, b] : [b, at];
            if (y - x < m.len) continue;
            t =
              t.slice(0, x) +
              t.slice(y, y + m.len) +
              t.slice(x + m.len, y) +
              t.slice(x, x + m.len) +
              t.slice(y + m.len);
          }
        }
        return t;
      });
    fc.assert(fc.property(mutated, saneParse), { numRuns: 500 });
  });
});

describe('valid programs', () => {
  it('parse without diagnostics, with every child span inside its parent and names matching their text', () => {
    for (const text of VALID) {
      const r = parseText(text);
      expect(r.diagnostics).toEqual([]);
      const bad: string[] = [];
      walk(r.program, (n, parent) => {
        if (parent !== undefined && (n.span.start < parent.span.start || n.span.end > parent.span.end)) {
          bad.push(`${n.kind} ${JSON.stringify(n.span)} outside ${parent.kind} ${JSON.stringify(parent.span)}`);
        }
        if (n.kind === 'Ident' && text.slice(n.span.start, n.span.end) !== (n as unknown as { name: string }).name) {
          bad.push(`Ident ${JSON.stringify(n.span)}`);
        }
        if (n.kind !== 'Program' && n.span.end > n.span.start) {
          const s = text.slice(n.span.start, n.span.end);
          if (s !== s.trim()) bad.push(`${n.kind} span has surrounding whitespace: ${JSON.stringify(s)}`);
        }
      });
      expect(bad).toEqual([]);
    }
  });

  it('stay valid when whitespace between tokens changes (newlines are not significant)', () => {
    for (const text of VALID) {
      const squeezed = text
        .split('\n')
        .map((l) => l.replace(/#.*$/, ''))
        .join(' ');
      expect(parseText(squeezed).diagnostics).toEqual([]);
    }
  });
});

describe('the shared parser keeps no state between parses', () => {
  it('parsing B after any A gives the same result as parsing B first', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => `engine e { on x do ${t.join(' ')} }`),
      fc.constantFrom(...VALID),
    );
    const snapshot = (t: string) =>
      JSON.stringify(parseText(t), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const fresh = snapshot(b);
        parseText(a);
        return snapshot(b) === fresh;
      }),
      { numRuns: 300 },
    );
  });
});

describe('recovered trees', () => {
  it('keep every child span inside its parent span, even after errors', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...VALID), fc.nat(), fc.constantFrom(...TOKENS))
      .map(
        ([base, at, tok]) => `${base.slice(0, at % (base.length + 1))} ${tok} ${base.slice(at % (base.length + 1))}`,
      );
    fc.assert(
      fc.property(mutated, (text) => {
        let ok = true;
        walk(parseText(text).program, (n, parent) => {
          if (parent !== undefined && (n.span.start < parent.span.start || n.span.end > parent.span.end)) ok = false;
        });
        return ok;
      }),
      { numRuns: 400 },
    );
  });
});
