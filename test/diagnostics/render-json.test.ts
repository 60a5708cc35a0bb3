import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderJson } from '../../src/diagnostics/render-json.js';
import { SourceFile } from '../../src/diagnostics/source.js';

describe('renderJson', () => {
  it('renders a stable document with 1-based positions, related spans, notes, help and fix edits', () => {
    const text = 'engine e {\n  on quiesce do stop\n}\n';
    const start = text.indexOf('stop');
    const d: Diagnostic = {
      code: 'UTR3006',
      severity: 'warning',
      message: 'the engine stops the task but `quiesce` cannot keep the stop',
      file: 'e.utr',
      span: { start, end: start + 4 },
      label: 'stop requested here',
      related: [{ span: { start: 0, end: 6 }, message: 'engine declared here' }],
      notes: ['see utrace-semantics §11.8'],
      help: 'add `on quiesce`',
      fix: {
        title: 'Replace with `resume`',
        applicability: 'unsafe',
        edits: [{ span: { start, end: start + 4 }, newText: 'resume' }],
      },
    };
    const doc = JSON.parse(renderJson([d], new Map([['e.utr', new SourceFile('e.utr', text)]]))) as unknown;
    expect(doc).toEqual({
      version: 1,
      diagnostics: [
        {
          code: 'UTR3006',
          severity: 'warning',
          message: 'the engine stops the task but `quiesce` cannot keep the stop',
          file: 'e.utr',
          start: { line: 2, column: 17, offset: 27 },
          end: { line: 2, column: 21, offset: 31 },
          label: 'stop requested here',
          related: [
            {
              file: 'e.utr',
              message: 'engine declared here',
              start: { line: 1, column: 1, offset: 0 },
              end: { line: 1, column: 7, offset: 6 },
            },
          ],
          notes: ['see utrace-semantics §11.8'],
          help: 'add `on quiesce`',
          fix: {
            title: 'Replace with `resume`',
            applicability: 'unsafe',
            edits: [
              {
                start: { line: 2, column: 17, offset: 27 },
                end: { line: 2, column: 21, offset: 31 },
                newText: 'resume',
              },
            ],
          },
        },
      ],
      summary: { errors: 0, warnings: 1, infos: 0, files: 1 },
    });
  });

  it('fills absent optional parts with null so every diagnostic has the same keys', () => {
    const d: Diagnostic = {
      code: 'UTR1001',
      severity: 'error',
      message: 'm',
      file: 'x.utr',
      span: { start: 0, end: 0 },
      related: [],
      notes: [],
    };
    const doc = JSON.parse(renderJson([d], new Map([['x.utr', new SourceFile('x.utr', '')]]))) as {
      diagnostics: Record<string, unknown>[];
    };
    expect(doc.diagnostics[0]).toMatchObject({ label: null, help: null, fix: null, related: [], notes: [] });
    expect(Object.keys(doc.diagnostics[0]!)).toEqual([
      'code',
      'severity',
      'message',
      'file',
      'start',
      'end',
      'label',
      'related',
      'notes',
      'help',
      'fix',
    ]);
  });
});
