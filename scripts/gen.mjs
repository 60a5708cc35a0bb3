#!/usr/bin/env node
// Runs every generator in scripts/gen/*.mjs. Each exports `generate()` returning (or resolving to) a list of
// `{ path, content }` with paths relative to the repository root. Generators may import from ../dist/, because the
// `gen` scripts of package.json build first.
//
//   node scripts/gen.mjs           write the files that changed, and name them
//   node scripts/gen.mjs --check   write nothing; exit 1 naming the files that are stale (for CI and tests)
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const genDir = join(root, 'scripts', 'gen');

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

const stale = [];
for (const name of readdirSync(genDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  const mod = await import(pathToFileURL(join(genDir, name)).href);
  if (typeof mod.generate !== 'function') {
    console.error(`scripts/gen/${name} does not export generate()`);
    process.exit(2);
  }
  for (const { path, content } of await mod.generate()) {
    const abs = join(root, path);
    if (read(abs) === content) continue;
    stale.push(path);
    if (!check) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
}

if (check) {
  if (stale.length > 0) {
    console.error(`stale generated files (run \`npm run gen\`):\n${stale.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('generated files are up to date');
} else {
  console.log(stale.length > 0 ? `wrote:\n${stale.map((p) => `  ${p}`).join('\n')}` : 'generated files are up to date');
}
