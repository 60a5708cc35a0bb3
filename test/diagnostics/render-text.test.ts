import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderDiagnostic, renderDiagnostics, renderSummary } from '../../src/diagnostics/render-text.js';
import { SourceFile } from '../../src/diagnostics/source.js';

const SYSCOUNT = `engine syscount {
  state calls: map<syscall, count>

  on syscall_entry(call) do cals[call.nr] += 1 then resume
  on quiesce do
    fetch regs
    then resume
}
`;

function at(text: string, needle: string, nth = 0): { start: number; end: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`fixture lacks ${needle}`);
  return { start: i, end: i + needle.length };
}

function diag(init: Partial<Diagnostic> & Pick<Diagnostic, 'span'>): Diagnostic {
  return {
    code: 'UTR2001',
    severity: 'error',
    message: 'something is wrong',
    file: 'a.utr',
    related: [],
    notes: [],
    ...init,
  };
}

function render(text: string, d: Diagnostic, maxLineWidth?: number): string {
  return renderDiagnostic(d, new Map([['a.utr', new SourceFile('a.utr', text)]]), maxLineWidth ? { maxLineWidth } : {});
}

describe('renderDiagnostic', () => {
  it('shows the location, the line, carets under the span with the label, related spans, notes, help and the fix', () => {
    const d = diag({
      message: 'unknown state `cals`',
      span: at(SYSCOUNT, 'cals'),
      label: 'not declared in engine `syscount`',
      related: [{ span: at(SYSCOUNT, 'calls'), message: 'a state with a similar name' }],
      notes: ['state is declared with `state NAME: TYPE`'],
      help: 'did you mean `calls`?',
      fix: {
        title: 'Rename to `calls`',
        applicability: 'safe',
        edits: [{ span: at(SYSCOUNT, 'cals'), newText: 'calls' }],
      },
    });
    expect(render(SYSCOUNT, d)).toBe(
      [
        'error[UTR2001]: unknown state `cals`',
        ' --> a.utr:4:29',
        '  |',
        '4 |   on syscall_entry(call) do cals[call.nr] += 1 then resume',
        '  |                             ^^^^ not declared in engine `syscount`',
        '  |',
        ' ::: a.utr:2:9',
        '  |',
        '2 |   state calls: map<syscall, count>',
        '  |         ----- a state with a similar name',
        '  |',
        '  = note: state is declared with `state NAME: TYPE`',
        '  = help: did you mean `calls`?',
        '  = fix: Rename to `calls`',
        '',
      ].join('\n'),
    );
  });

  it('brackets a span over several lines from its first to its last character', () => {
    const start = SYSCOUNT.indexOf('quiesce');
    const end = SYSCOUNT.indexOf('resume\n}') + 'resume'.length;
    expect(
      render(SYSCOUNT, diag({ severity: 'warning', code: 'UTR3002', span: { start, end }, label: 'this handler' })),
    ).toBe(
      [
        'warning[UTR3002]: something is wrong',
        ' --> a.utr:5:6',
        '  |',
        '5 |     on quiesce do',
        '  |  ______^',
        '6 | |     fetch regs',
        '7 | |     then resume',
        '  | |_______________^ this handler',
        '',
      ].join('\n'),
    );
  });

  it('opens the bracket on the source line when the span starts at the first token of its line', () => {
    const start = SYSCOUNT.indexOf('on quiesce');
    const end = SYSCOUNT.indexOf('fetch regs') + 'fetch'.length;
    expect(
      render(SYSCOUNT, diag({ span: { start, end } }))
        .split('\n')
        .slice(3, 6),
    ).toEqual(['5 | /   on quiesce do', '6 | |     fetch regs', '  | |_________^']);
  });

  it('elides the middle of a long multi-line span', () => {
    const text = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n') + '\n';
    const out = render(text, diag({ span: { start: 0, end: text.length - 1 } }));
    expect(out).toContain(' 1 | / line1');
    expect(out).toContain('12 | | line12');
    expect(out).toContain('...');
    expect(out).not.toContain('line6');
  });

  it('keeps carets aligned after tabs and double-width characters', () => {
    const text = '\tset 名前 = x\n';
    const out = render(text, diag({ span: at(text, 'x') }));
    const [, , , source, carets] = out.split('\n');
    expect(source).toBe('1 |     set 名前 = x');
    expect(carets).toBe('  |                ^');
    // The caret sits under the x in terminal columns: tab = 4, each CJK character = 2 (one UTF-16 unit each).
    expect(carets!.indexOf('^')).toBe(source!.length - 1 + 2);
  });

  it('never copies control characters from the source to the terminal', () => {
    const text = 'emit "\x1b[2Jgone"\n';
    const out = render(text, diag({ span: at(text, 'gone') }));
    expect(out).not.toContain('\x1b');
    expect(out).toContain('\u241b[2Jgone');
    expect(out.split('\n')[4]!.indexOf('^')).toBe(out.split('\n')[3]!.indexOf('gone'));
  });

  it('windows a very long line around the span', () => {
    const text = 'a'.repeat(500) + ' target ' + 'b'.repeat(500) + '\n';
    const out = render(text, diag({ span: at(text, 'target'), label: 'here' }), 80);
    const [, loc, , source, carets] = out.split('\n');
    expect(loc).toBe(' --> a.utr:1:502');
    expect(source!.length).toBeLessThanOrEqual(80 + 4);
    expect(source).toMatch(/^1 \| \.\.\.a+ target b+\.\.\.$/);
    expect(carets!.indexOf('^^^^^^ here')).toBe(source!.indexOf('target'));
  });

  it('shows an empty span at the end of the file as one caret after the last character', () => {
    const text = 'engine e {\n';
    const out = render(text, diag({ span: { start: text.length, end: text.length }, label: 'expected `}`' }));
    expect(out).toBe(
      ['error[UTR2001]: something is wrong', ' --> a.utr:2:1', '  |', '2 |', '  | ^ expected `}`', ''].join('\n'),
    );
  });

  it('does not show an extra empty line for a span that ends with a line break', () => {
    const text = 'engine e {\n}\n';
    const out = render(text, diag({ span: { start: 0, end: 11 } }));
    expect(out.split('\n').slice(3, 5)).toEqual(['1 | engine e {', '  | ^^^^^^^^^^']);
  });

  it('still names the place when the source text is not available', () => {
    const out = renderDiagnostic(diag({ file: 'gone.utr', span: { start: 3, end: 4 } }), new Map());
    expect(out).toBe('error[UTR2001]: something is wrong\n --> gone.utr\n');
  });

  it('marks unsafe fixes and uses colour only when asked', () => {
    const d = diag({ span: at(SYSCOUNT, 'cals'), fix: { title: 'Add a flag', applicability: 'unsafe', edits: [] } });
    expect(render(SYSCOUNT, d)).toContain('  = fix (unsafe): Add a flag');
    expect(render(SYSCOUNT, d)).not.toContain('\x1b[');
    const coloured = renderDiagnostic(d, new Map([['a.utr', new SourceFile('a.utr', SYSCOUNT)]]), { color: true });
    expect(coloured).toContain('\x1b[1;31merror[UTR2001]\x1b[0m');
  });

  it('separates several diagnostics with a blank line', () => {
    const a = diag({ span: at(SYSCOUNT, 'cals') });
    const out = renderDiagnostics([a, a], new Map([['a.utr', new SourceFile('a.utr', SYSCOUNT)]]));
    expect(out.split('error[UTR2001]')).toHaveLength(3);
    expect(out).toContain('\n\nerror[UTR2001]');
  });
});

describe('renderSummary', () => {
  it('counts by severity with plurals, and says so when there is nothing', () => {
    const s = { span: { start: 0, end: 1 } };
    expect(renderSummary([diag({ ...s }), diag({ ...s }), diag({ ...s, severity: 'warning' })])).toBe(
      '2 errors, 1 warning',
    );
    expect(renderSummary([diag({ ...s, severity: 'info' })])).toBe('1 info');
    expect(renderSummary([])).toBe('no problems');
  });
});

describe('renderDiagnostic on any text and span', () => {
  it('never throws, never emits control characters, and always names the location', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.nat(400),
        fc.nat(400),
        fc.integer({ min: 20, max: 200 }),
        (text, a, b, width) => {
          const span = { start: Math.min(a, b), end: Math.max(a, b) };
          const source = new SourceFile('p.utr', text);
          const out = renderDiagnostic(diag({ file: 'p.utr', span, label: 'here' }), new Map([['p.utr', source]]), {
            maxLineWidth: width,
          });
          const { line, column } = source.lineCol(span.start);
          expect(out).toContain(` --> p.utr:${line}:${column}\n`);
          // eslint-disable-next-line no-control-regex
          expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
          expect(out).toMatch(/[\^] here\n/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('renderDiagnostic on CRLF sources', () => {
  it('shows lines without their carriage returns and keeps the carets in place', () => {
    const text = 'engine e {\r\n  on quiesce do stopp\r\n}\r\n';
    const out = render(text, diag({ span: at(text, 'stopp'), label: 'unknown' }));
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u240d');
    expect(out.split('\n').slice(1, 5)).toEqual([
      ' --> a.utr:2:17',
      '  |',
      '2 |   on quiesce do stopp',
      '  |                 ^^^^^ unknown',
    ]);
  });
});
