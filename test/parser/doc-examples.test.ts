import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { docExamples, extractUtrBlocks } from '../support/doc-examples.js';

describe('extractUtrBlocks', () => {
  it('returns each ```utr block with its line and heading, and skips other languages', () => {
    const md = [
      '# A',
      '```utr',
      'engine a {}',
      '```',
      '## B',
      '```ts',
      'x',
      '```',
      '```utr',
      'engine b {}',
      '```',
    ].join('\n');
    const blocks = extractUtrBlocks(md, 'doc.md');
    expect(blocks.map((b) => [b.line, b.heading, b.code])).toEqual([
      [2, 'A', 'engine a {}\n'],
      [9, 'B', 'engine b {}\n'],
    ]);
    expect(blocks[0]?.source.path).toBe('doc.md:2');
  });

  it('rejects an unclosed block instead of dropping it', () => {
    expect(() => extractUtrBlocks('```utr\nengine a {}\n', 'doc.md')).toThrow(/unclosed/);
  });
});

describe('docs/language.md', () => {
  const examples = docExamples('docs/language.md');

  it('has an example for every construct', () => {
    const all = examples.map((e) => e.code).join('\n');
    for (const word of [
      'arch',
      'state',
      'on quiesce do fetch regs then resume',
      'when',
      'control',
      'every',
      'fetch mem',
      'set ',
      '+=',
      '-=',
      'append',
      'emit',
      'attach',
      'events',
      'barrier',
      'nothing',
      'else if',
      'match',
      'singlestep',
      'await stopped within',
      'abort',
      'fate',
      'assert',
      ' in {',
      'map<',
      'list<',
    ]) {
      expect(all, word).toContain(word);
    }
  });

  for (const ex of examples) {
    it(`parses the example at line ${ex.line} (${ex.heading}) without syntax errors`, () => {
      const r = parse(ex.source);
      expect(r.diagnostics.map((d) => `${ex.source.lineCol(d.span.start).line}: ${d.message}`)).toEqual([]);
      expect(r.program.engines.length).toBeGreaterThan(0);
    });
  }
});
