/** SARIF output: the shape GitHub code scanning ingests, with rule metadata, both sides of a race and fixes. */
import { describe, expect, test } from 'vitest';
import { sarifRules } from '../../src/checker/rules/docs.js';
import { RULES } from '../../src/checker/rules/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { renderSarif, toSarif, toUri } from '../../src/diagnostics/render-sarif.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { lint } from '../checker/rules/support.js';

const TEXT = `engine e {
  state n: count
  state last: int = 0
  on syscall_entry(call) do n += 1 then set last = call.nr then resume
  control reset do detach then set last = 0
}
`;

describe('SARIF 2.1.0', () => {
  const r = lint(TEXT, 'engines/e.utr');
  const sources = new Map([[r.source.path, r.source]]);
  const log = toSarif(r.races, sources, { rules: sarifRules('https://example.org/rules'), toolVersion: '0.1.0' });
  const run = log.runs[0];

  test('has the version, schema, tool and every rule with its metadata', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    expect(run.tool.driver.name).toBe('utrc');
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(run.tool.driver.rules.map((x) => x.id)).toEqual(RULES.map((x) => x.meta.code));
    const rule = run.tool.driver.rules.find((x) => x.id === 'UTR3004');
    expect(rule?.name).toBe('detach-without-barrier');
    expect(rule?.defaultConfiguration.level).toBe('warning');
    expect(rule?.help?.markdown).toContain('## Why it is a race');
    expect(rule?.helpUri).toBe('https://example.org/rules/UTR3004-detach-without-barrier.md');
    expect(rule?.properties.tags).toEqual(['race', 'ordering']);
  });

  test('a result points at the control site, with the handler site as a related location and the fix', () => {
    expect(run.results).toHaveLength(1);
    const res = run.results[0]!;
    expect(res.ruleId).toBe('UTR3004');
    expect(run.tool.driver.rules[res.ruleIndex]?.id).toBe('UTR3004');
    expect(res.level).toBe('warning');
    const loc = res.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uri).toBe('engines/e.utr');
    expect(loc.region).toMatchObject({ startLine: 5, startColumn: 20, endLine: 5, endColumn: 26 });
    expect(res.relatedLocations?.map((x) => x.physicalLocation.region.startLine)).toEqual([5, 4]);
    const edit = res.fixes?.[0]?.artifactChanges[0]?.replacements[0];
    expect(edit?.insertedContent.text).toBe(' then barrier');
    expect(edit?.deletedRegion).toMatchObject({ startLine: 5, startColumn: 26, charLength: 0 });
  });

  test('codes missing from the rules list are added, levels map info to note, text is JSON', () => {
    const src = new SourceFile('a.utr', 'x');
    const d: Diagnostic = {
      code: 'UTR2011',
      severity: 'info',
      message: 'unknown name `x`',
      file: 'a.utr',
      span: { start: 0, end: 1 },
      related: [],
      notes: ['a note'],
      help: 'a help',
    };
    const out = JSON.parse(renderSarif([d], new Map([['a.utr', src]]))) as ReturnType<typeof toSarif>;
    const res = out.runs[0].results[0]!;
    expect(res.level).toBe('note');
    expect(out.runs[0].tool.driver.rules[res.ruleIndex]?.id).toBe('UTR2011');
    expect(res.message.text).toBe('unknown name `x`\nnote: a note\nhelp: a help');
  });

  test('file names become URIs', () => {
    expect(toUri('./a b.utr')).toBe('a%20b.utr');
    expect(toUri('/abs/x.utr')).toBe('file:///abs/x.utr');
    expect(toUri('dir\\x.utr')).toBe('dir/x.utr');
  });
});
