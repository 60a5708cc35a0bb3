import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/diagnostics/source.js';
import { analyze } from '../../src/frontend.js';
import { parse } from '../../src/parser/index.js';
import { utrc } from '../cli/helpers.js';

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

/** The arguments of the `#   utrc run …` line of a header (with `\` continuation lines), if there is one. */
function runCommand(text: string): string[] | undefined {
  const header = text.split('\n').filter((l) => l.startsWith('#'));
  const start = header.findIndex((l) => /^# {3}utrc run /.test(l));
  if (start < 0) return undefined;
  let line = '';
  for (const l of header.slice(start)) {
    const part = l.replace(/^#\s*/, '').replace(/\s+#.*$/, '');
    line += ` ${part.replace(/\\$/, '')}`;
    if (!part.endsWith('\\')) break;
  }
  return line.trim().split(/\s+/).slice(1);
}

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

      it('runs as its header says, printing something and exiting 0', () => {
        const command = runCommand(load(name).text);
        expect(command, 'the header shows a `utrc run` command').toBeDefined();
        const r = utrc(command!);
        expect(r.stderr).not.toMatch(/error\[|internal error/);
        expect(r.status).toBe(0);
        expect(r.stdout.trim()).not.toBe('');
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
