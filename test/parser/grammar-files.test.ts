import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { grammarDiagramsHtml } from '../../src/parser/diagrams.js';
import { KEYWORDS } from '../../src/parser/tokens.js';

function repoFile(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
}

describe('grammar/diagrams.html', () => {
  it('is up to date with the parser (run `npm run gen` after changing the grammar)', () => {
    expect(repoFile('grammar/diagrams.html') === grammarDiagramsHtml()).toBe(true);
  });

  it('draws every rule of the parser, including the file and the expression rules', () => {
    const html = grammarDiagramsHtml();
    for (const rule of ['file', 'engine', 'handler', 'steps', 'step', 'arms', 'expr', 'operand', 'atom']) {
      expect(html).toContain(`"name": "${rule}"`);
    }
  });
});

interface TmRule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  patterns?: TmRule[];
  captures?: Record<string, { name: string }>;
  include?: string;
}

describe('grammar/utr.tmLanguage.json', () => {
  const grammar = JSON.parse(repoFile('grammar/utr.tmLanguage.json')) as {
    scopeName: string;
    fileTypes: string[];
    patterns: TmRule[];
    repository: Record<string, TmRule>;
  };
  const rules: TmRule[] = [];
  const walk = (r: TmRule): void => {
    rules.push(r);
    for (const p of r.patterns ?? []) walk(p);
  };
  for (const r of [...grammar.patterns, ...Object.values(grammar.repository)]) walk(r);
  const scopes = new Set(
    rules
      .flatMap((r) => [r.name, ...Object.values(r.captures ?? {}).map((c) => c.name)])
      .filter((n) => n !== undefined),
  );

  it('is a TextMate grammar for .utr files', () => {
    expect(grammar.scopeName).toBe('source.utr');
    expect(grammar.fileTypes).toEqual(['utr']);
  });

  it('has the scopes editors colour: comments, strings with interpolation, keywords, actions, numbers, events', () => {
    for (const scope of [
      'comment.line.number-sign.utr',
      'string.quoted.double.utr',
      'constant.character.escape.utr',
      'invalid.illegal.escape.utr',
      'meta.interpolation.utr',
      'keyword.control.utr',
      'keyword.control.action.utr',
      'keyword.other.step.utr',
      'storage.type.declaration.utr',
      'constant.language.boolean.utr',
      'constant.numeric.duration.utr',
      'constant.numeric.integer.decimal.utr',
      'constant.numeric.integer.hexadecimal.utr',
      'entity.name.function.event.utr',
      'support.constant.event.utr',
      'support.function.library.utr',
    ]) {
      expect(scopes, scope).toContain(scope);
    }
  });

  it('has only regular expressions that compile, and includes that resolve', () => {
    for (const r of rules) {
      for (const re of [r.match, r.begin, r.end]) if (re !== undefined) expect(() => new RegExp(re), re).not.toThrow();
      if (r.include !== undefined && r.include.startsWith('#'))
        expect(grammar.repository).toHaveProperty(r.include.slice(1));
    }
  });

  it('colours every keyword of the lexer as a keyword', () => {
    const keywordRules = (grammar.repository['keyword']?.patterns ?? []).map(
      (r) => new RegExp(`^(?:${r.match ?? ''})$`),
    );
    for (const word of KEYWORDS)
      expect(
        keywordRules.some((re) => re.test(word)),
        word,
      ).toBe(true);
  });

  it('tells durations from integers', () => {
    const numbers = grammar.repository['number']?.patterns ?? [];
    const scopeOf = (text: string) => numbers.find((r) => new RegExp(`^(?:${r.match ?? ''})$`).test(text))?.name;
    expect(scopeOf('10ms')).toBe('constant.numeric.duration.utr');
    expect(scopeOf('0x2a')).toBe('constant.numeric.integer.hexadecimal.utr');
    expect(scopeOf('1_000')).toBe('constant.numeric.integer.decimal.utr');
    expect(scopeOf('12abc')).toBe('invalid.illegal.number.utr');
  });
});

describe('grammar/utr.ebnf', () => {
  const text = repoFile('grammar/utr.ebnf').replace(/\/\*[\s\S]*?\*\//g, '');
  const defined = new Set([...text.matchAll(/^([A-Za-z]+)\s+::=/gm)].map((m) => m[1]));

  it('defines every rule it uses', () => {
    const rhs = text.replace(/'[^']*'/g, '').replace(/\[[^\]]*\]/g, '');
    const used = new Set([...rhs.matchAll(/\b([A-Z][A-Za-z]*)\b/g)].map((m) => m[1]));
    for (const name of used) expect(defined, name).toContain(name);
  });

  it('lists every keyword of the lexer', () => {
    for (const word of KEYWORDS) expect(text).toContain(`'${word}'`);
  });
});
