/** Inline `# utr-allow CODE: reason` suppressions, as a user writes them. */
import { describe, expect, test } from 'vitest';
import { applySuppressions } from '../../src/checker/suppress.js';
import { brief, lint } from './rules/support.js';

function run(text: string): string[] {
  const r = lint(text, 'e.utr');
  return applySuppressions([...r.frontEnd, ...r.races], r.parsed.comments, r.source).map((d) => brief(d, r.source));
}

const ENGINE = (allow: string, trailing = ''): string => `engine e {
  state want: bool = false
  every 10ms do
    set want = true
${allow}    then stop match {${trailing}
      stopped => set want = false then resume
      pending => nothing
      gone    => nothing
    }
  on quiesce do resume
}`;

describe('utr-allow', () => {
  test('without a suppression the race is reported', () => {
    expect(run(ENGINE(''))).toEqual([expect.stringMatching(/^UTR3002 5:10 /)]);
  });

  test('a comment on its own line silences the next code line', () => {
    expect(run(ENGINE('    # utr-allow UTR3002: the profiler tolerates lost samples\n'))).toEqual([]);
  });

  test('a trailing comment silences its own line; rule names work as well as codes', () => {
    expect(run(ENGINE('', ' # utr-allow callback-clears-async-stop: lost samples are fine'))).toEqual([]);
  });

  test('blank and comment lines between the suppression and the code are skipped', () => {
    expect(run(ENGINE('    # utr-allow UTR3002: lost samples are fine\n\n    # the stop\n'))).toEqual([]);
  });

  test('a suppression that matches nothing is reported', () => {
    expect(run(ENGINE('    # utr-allow UTR3003: wrong code\n'))).toEqual([
      'UTR3900 5:5 suppression of `UTR3003` matches no diagnostic on line 6',
      expect.stringMatching(/^UTR3002 6:10 /),
    ]);
  });

  test('a suppression without a reason still silences, but is reported', () => {
    expect(run(ENGINE('    # utr-allow UTR3002\n'))).toEqual(['UTR3901 5:5 suppression of `UTR3002` gives no reason']);
    expect(run(ENGINE('    # utr-allow UTR3002:   \n'))).toEqual([
      'UTR3901 5:5 suppression of `UTR3002` gives no reason',
    ]);
  });

  test('several codes in one comment; only the unused one is reported', () => {
    expect(run(ENGINE('    # utr-allow UTR3002, UTR3010: sampling only\n'))).toEqual([
      'UTR3900 5:5 suppression of `UTR3010` matches no diagnostic on line 6',
    ]);
  });

  test('errors cannot be suppressed', () => {
    const text = `engine e {
  control peek do
    # utr-allow UTR2034: I know
    fetch regs
}`;
    const out = run(text);
    expect(out.some((b) => b.startsWith('UTR2034'))).toBe(true);
    expect(out).toContain('UTR3900 3:5 `UTR2034` is an error here and cannot be suppressed');
  });

  test('ordinary comments are left alone', () => {
    expect(run(ENGINE('    # utr-allowed? no: just a comment\n    # allow UTR3002: not the syntax\n'))).toEqual([
      expect.stringMatching(/^UTR3002 7:10 /),
    ]);
  });
});

describe('suppressions of checks that did not run', () => {
  test('are not reported as unused', async () => {
    const { ruleRan } = await import('../../src/checker/rules/index.js');
    const text = ENGINE('    # utr-allow UTR3002: lost samples are fine\n');
    const r = lint(text, 'e.utr', { disable: ['UTR3002'] });
    const ran = ruleRan({ disable: ['UTR3002'] }, true);
    expect(applySuppressions(r.races, r.parsed.comments, r.source, { ran })).toEqual([]);
    expect(ran('UTR3002')).toBe(false);
    expect(ran('UTR3003')).toBe(true);
    expect(ran('UTR2034')).toBe(true);
    expect(ruleRan({}, false)('UTR3003')).toBe(false);
    // Without the option the same suppression is reported.
    expect(applySuppressions(r.races, r.parsed.comments, r.source).map((d) => d.code)).toEqual(['UTR3900']);
  });
});

describe('through the front end', () => {
  test('a race suppression on a file whose errors kept the race rules from running is not reported', async () => {
    const { analyze } = await import('../../src/frontend.js');
    const { SourceFile } = await import('../../src/diagnostics/source.js');
    const text = ENGINE('    # utr-allow UTR3002: lost samples are fine\n').replace(
      'on quiesce do resume',
      'on quiesce do rsume',
    );
    const result = analyze(new SourceFile('e.utr', text));
    expect(result.racesChecked).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).not.toContain('UTR3900');
    const clean = analyze(new SourceFile('e.utr', ENGINE('    # utr-allow UTR3002: lost samples are fine\n')));
    expect(clean.diagnostics).toEqual([]);
  });
});
