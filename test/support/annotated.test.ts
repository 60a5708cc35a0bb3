import { describe, expect, it } from 'vitest';
import { assertDiagnosticsMatch, readAnnotations } from './annotated.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

function diag(
  start: number,
  end: number,
  message: string,
  code = 'UTR2001',
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return {
    code: code as Diagnostic['code'],
    severity,
    message,
    file: '<fixture>',
    span: { start, end },
    related: [],
    notes: [],
  };
}

const FIXTURE = [
  'engine e {', //            line 0, offsets 0..10
  '  on syscal_entry do resume', // line 1, starts at 11
  '#    ^^^^^^^^^^^^ error UTR2001: unknown event `syscal_entry`',
  '}',
].join('\n');

describe('readAnnotations', () => {
  it('reads caret columns, severity, code and message, attached to the line above', () => {
    expect(readAnnotations(FIXTURE)).toEqual([
      {
        line: 1,
        columns: { start: 5, end: 17 },
        severity: 'error',
        code: 'UTR2001',
        message: 'unknown event `syscal_entry`',
        at: 2,
      },
    ]);
  });

  it('attaches consecutive annotation lines to the same line and reads the `#~` form', () => {
    const text = 'a b\n#~ warning UTR3001: anywhere\n# ^ info UTR1001: at b';
    const anns = readAnnotations(text);
    expect(anns.map((a) => [a.line, a.columns, a.severity])).toEqual([
      [0, undefined, 'warning'],
      [0, { start: 2, end: 3 }, 'info'],
    ]);
  });

  it('rejects a malformed annotation instead of silently ignoring it', () => {
    expect(() => readAnnotations('x\n# ^^ eror UTR1: oops')).toThrow(/malformed annotation/);
  });

  it('treats ordinary comments as code lines', () => {
    expect(readAnnotations('# just a comment\n#   ^ error UTR1001: x')).toHaveLength(1);
  });
});

describe('assertDiagnosticsMatch', () => {
  it('accepts exactly the annotated diagnostics', () => {
    expect(() => assertDiagnosticsMatch([diag(16, 28, 'unknown event `syscal_entry`')], FIXTURE)).not.toThrow();
  });

  it('fails on a wrong span, showing the actual annotation in the diff', () => {
    let message = '';
    try {
      assertDiagnosticsMatch([diag(17, 28, 'unknown event `syscal_entry`')], FIXTURE);
    } catch (e) {
      message = String((e as { actual?: unknown }).actual);
    }
    expect(message).toContain('#     ^^^^^^^^^^^ error UTR2001: unknown event `syscal_entry`');
  });

  it('fails on a different message, a missing diagnostic and an extra one', () => {
    expect(() => assertDiagnosticsMatch([diag(16, 28, 'unknown event')], FIXTURE)).toThrow();
    expect(() => assertDiagnosticsMatch([], FIXTURE)).toThrow();
    expect(() =>
      assertDiagnosticsMatch([diag(16, 28, 'unknown event `syscal_entry`'), diag(0, 6, 'extra', 'UTR1002')], FIXTURE),
    ).toThrow();
  });

  it('matches a zero-width diagnostic at the end of the file with a caret past the end of the last line', () => {
    const text = 'engine e {\n#         ^ error UTR1001: expected `}`\n';
    expect(() =>
      assertDiagnosticsMatch([diag(text.length, text.length, 'expected `}`', 'UTR1001')], text),
    ).not.toThrow();
    expect(() => assertDiagnosticsMatch([diag(10, 10, 'expected `}`', 'UTR1001')], text)).not.toThrow();
    expect(() => assertDiagnosticsMatch([diag(9, 10, 'expected `}`', 'UTR1001')], text)).toThrow();
  });

  it('matches `#~` anywhere on the line, including column 0', () => {
    const text = 'engine e {}\n#~ error UTR1002: here';
    expect(() => assertDiagnosticsMatch([diag(0, 6, 'here', 'UTR1002')], text)).not.toThrow();
    expect(() => assertDiagnosticsMatch([diag(7, 8, 'here', 'UTR1002')], text)).not.toThrow();
  });

  it('checks severity', () => {
    const text = 'a\n#~ warning UTR3001: w';
    expect(() => assertDiagnosticsMatch([diag(0, 1, 'w', 'UTR3001', 'error')], text)).toThrow();
    expect(() => assertDiagnosticsMatch([diag(0, 1, 'w', 'UTR3001', 'warning')], text)).not.toThrow();
  });
});
