/**
 * What users see: every racy example checked and rendered as `utrc check` prints it (rustc style, no colour),
 * compared with `golden/racy.txt`. `UPDATE_GOLDEN=1` rewrites the file; review the diff like code.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { renderDiagnostics } from '../../../src/diagnostics/render-text.js';
import { lint } from './support.js';

const GOLDEN = 'test/checker/rules/golden/racy.txt';

test('rendered findings on examples/racy match the golden file', () => {
  const parts: string[] = [];
  for (const f of readdirSync('examples/racy')
    .filter((x) => x.endsWith('.utr'))
    .sort()) {
    const path = `examples/racy/${f}`;
    const r = lint(readFileSync(path, 'utf8'), path);
    parts.push(renderDiagnostics(r.races, new Map([[path, r.source]]), { color: false }));
  }
  const actual = parts.join('\n');
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, actual);
  expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
});
