import { describe, expect, it } from 'vitest';
import { parseText } from './helpers.js';

/** Applies a diagnostic's fix edits to the text. */
function apply(text: string, edits: readonly { span: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}

describe('fixes for missing tokens', () => {
  for (const [broken, missing] of [
    ['engine e {\n  on exit resume\n}', 'do'],
    ['engine e {\n  on exec do emit "x"\n    resume\n}', 'then'],
    ['engine e {\n  state n int\n}', ':'],
    ['engine e {\n  control c do stop match { stopped resume _ => nothing }\n}', '=>'],
    ['engine e {\n  on exit do detach\n', '}'],
  ] as const) {
    it(`offers to insert \`${missing}\`, and the fixed text parses`, () => {
      const r = parseText(broken);
      expect(r.diagnostics).toHaveLength(1);
      const fix = r.diagnostics[0]?.fix;
      expect(fix?.title).toBe(`insert \`${missing}\``);
      expect(fix?.applicability).toBe('unsafe');
      const fixed = apply(broken, fix?.edits ?? []);
      expect(parseText(fixed).diagnostics).toEqual([]);
    });
  }

  it('offers no fix when what is missing is not one fixed token', () => {
    const r = parseText('engine e {\n  on exec do set = 1 then resume\n}');
    expect(r.diagnostics.map((d) => d.fix)).toEqual([undefined]);
  });
});

describe('help for habits from other languages', () => {
  it('says that comments start with `#` when a line starts with `//`', () => {
    const r = parseText('engine e {\n  // a comment\n  on exit do detach\n}');
    expect(r.diagnostics.map((d) => d.help)).toEqual(['comments start with `#`']);
  });

  it('says that members belong inside an engine', () => {
    const r = parseText('on exit do detach\n');
    expect(r.diagnostics.map((d) => [d.message, d.help])).toEqual([
      ['expected `engine`, found `on`', 'members belong inside an engine: `engine NAME { … }`'],
    ]);
  });
});
