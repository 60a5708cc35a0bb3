import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEMANTIC_DIAGNOSTICS } from '../../src/checker/index.js';

// The reference lists every name and type diagnostic; this keeps the table and the catalogue in step.
const doc = readFileSync(join(import.meta.dirname, '../../docs/language.md'), 'utf8');

function tableRows(section: string): string[][] {
  const start = doc.indexOf(`## ${section}\n`);
  if (start < 0) return [];
  const end = doc.indexOf('\n## ', start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => /^\| UTR\d{4} /.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

/** The catalogue summary as the table words it: lower-case start, no final period, severity when not an error. */
function meaning(summary: string, severity: string): string {
  const text = (summary.startsWith('`') ? summary : summary[0]?.toLowerCase() + summary.slice(1)).replace(/\.$/, '');
  return severity === 'error' ? text : `${text} (${severity})`;
}

describe('docs/language.md "Name and type errors"', () => {
  it('lists every semantic diagnostic with its catalogue name and summary', () => {
    expect(tableRows('Name and type errors')).toEqual(
      SEMANTIC_DIAGNOSTICS.map((k) => [k.code, k.name, meaning(k.summary, k.severity)]),
    );
  });
});
