import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { analyze } from '../../src/frontend.js';
import { parse } from '../../src/parser/index.js';

const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.utr'))
  .sort();

/** Every example the README and the issue promise. */
const PROMISED = [
  'follow_fork.utr',
  'gdbstub_like.utr',
  'opens.utr',
  'ptrace_like.utr',
  'sampler.utr',
  'signals.utr',
  'syscount.utr',
];

function load(name: string): SourceFile {
  return new SourceFile(`examples/${name}`, readFileSync(dir + name, 'utf8'));
}

describe('examples', () => {
  it('include every engine the documentation promises', () => {
    expect(examples).toEqual(expect.arrayContaining(PROMISED));
  });

  for (const name of examples) {
    describe(name, () => {
      it('opens with a comment that says what it does and how to check it', () => {
        const text = load(name).text;
        expect(text.startsWith(`# ${name.replace(/\.utr$/, '')}: `)).toBe(true);
        expect(text).toContain(`utrc check examples/${name}`);
      });

      it('parses without syntax errors', () => {
        expect(parse(load(name)).diagnostics).toEqual([]);
      });

      it('checks with zero diagnostics (types and race rules)', () => {
        const result = analyze(load(name));
        expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
        expect(result.ok).toBe(true);
      });
    });
  }
});
