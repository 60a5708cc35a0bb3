import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';

describe('SourceFile', () => {
  it('maps offsets to one-based lines and columns across LF, CRLF and CR line ends', () => {
    const file = new SourceFile('a.utr', 'ab\ncd\r\nef\rgh');
    expect(file.lineCol(0)).toEqual({ line: 1, column: 1 });
    expect(file.lineCol(4)).toEqual({ line: 2, column: 2 });
    expect(file.lineCol(7)).toEqual({ line: 3, column: 1 });
    expect(file.lineCol(10)).toEqual({ line: 4, column: 1 });
    expect(file.lineText(2)).toBe('cd');
    expect(file.lineText(3)).toBe('ef');
    expect(file.lineCount).toBe(4);
  });

  it('clamps offsets past the end to the last position', () => {
    const file = new SourceFile('a.utr', 'xy');
    expect(file.lineCol(99)).toEqual({ line: 1, column: 3 });
  });
});
