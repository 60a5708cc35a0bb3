// The runtime must never import the compiler (parser, checker, codegen, CLI): engines run without it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const runtime = join(root, 'src/runtime');
const FORBIDDEN = ['src/parser', 'src/checker', 'src/codegen', 'src/cli'].map((p) => join(root, p));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier of static imports, re-exports and dynamic imports. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const re =
    /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(re)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

describe('runtime import boundary', () => {
  it('finds the imports it checks (the scanner works)', () => {
    expect(specifiers(`import { a } from './x.js';\nexport * from "../y.js";\nawait import('./z.js');`)).toEqual([
      './x.js',
      '../y.js',
      './z.js',
    ]);
  });

  it('no file under src/runtime imports src/parser, src/checker, src/codegen or src/cli', () => {
    const offenders: string[] = [];
    const all = files(runtime);
    expect(all.length).toBeGreaterThan(5);
    for (const file of all) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (FORBIDDEN.some((f) => target === f || target.startsWith(f + '/')))
          offenders.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
