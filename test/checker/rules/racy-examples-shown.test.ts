/**
 * The racy examples are the engines whose races the simulator shows: each `examples/racy/utrNNNN-*.utr` has the same
 * code (comments and blank lines aside) as the bad engine of its rule in `symptoms.test.ts`, which runs it under a
 * replayable schedule and asserts the symptom. So "the racy examples run and show their race" cannot silently stop
 * being true: editing an example without its symptom case (or the reverse) fails here. Rules without a symptom case
 * are the documented exceptions of that test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const EXAMPLES = 'examples/racy';
const SYMPTOMS = 'test/fixtures/races/symptoms';

/** The program text without comments and blank lines. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(#.*)?$/.test(line))
    .join('\n');
}

describe('racy examples', () => {
  const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.utr'));
  const shown = new Set(
    readdirSync(SYMPTOMS)
      .filter((f) => f.endsWith('-bad.utr'))
      .map((f) => f.slice(0, 'utrNNNN'.length)),
  );

  it('has an engine for most rules whose race the simulator shows', () => {
    expect(shown.size).toBeGreaterThanOrEqual(15);
  });

  for (const file of examples) {
    const rule = file.slice(0, 'utrNNNN'.length);
    if (!shown.has(rule)) continue;
    it(`${file} is the engine whose race symptoms.test.ts shows for ${rule.toUpperCase()}`, () => {
      expect(code(`${EXAMPLES}/${file}`)).toBe(code(`${SYMPTOMS}/${rule}-bad.utr`));
    });
  }

  it('names every shown rule with an example', () => {
    const withExample = new Set(examples.map((f) => f.slice(0, 'utrNNNN'.length)));
    expect([...shown].filter((r) => !withExample.has(r))).toEqual([]);
  });
});
