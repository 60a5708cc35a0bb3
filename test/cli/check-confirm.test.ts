/**
 * `utrc check --confirm` in the machine formats: the verdicts travel inside the one JSON or SARIF document on
 * stdout (nothing else is printed there), and a confirmed warning's schedule replays with `utrc run --schedule`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEDULE_FORMAT } from '../../src/explore/schedule.js';
import { utrc } from './helpers.js';

const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-confirm-cache-')) };
const LOST = 'examples/racy/utr3002-callback-clears-async-stop.utr';
const REAP = 'examples/racy/utr3015-reap-after-death-detach.utr';
const GONE = 'examples/racy/utr3008-unhandled-gone.utr';

interface Verdict {
  status: string;
  semantics: string[];
  invariant: string | null;
  schedule: { format: number; file: string; workload: string; semantics: string; choices: number[] } | null;
  message: string;
}

describe('check --confirm --format json', () => {
  it('puts a verdict on every race diagnostic, with a schedule that replays the violation', () => {
    const r = utrc(['check', '--confirm', '--format', 'json', LOST, REAP, GONE], { env });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; confirmation: Verdict | null }[] };
    const lost = doc.diagnostics.find((d) => d.code === 'UTR3002')?.confirmation;
    expect(lost).toMatchObject({ status: 'confirmed', semantics: ['classic'], invariant: 'lost-stop' });
    expect(lost?.schedule).toMatchObject({ format: SCHEDULE_FORMAT, file: LOST, semantics: 'classic' });
    expect(lost?.message).toMatch(/^confirmed: `lost-stop` under classic/);
    const reap = doc.diagnostics.find((d) => d.code === 'UTR3015')?.confirmation;
    expect(reap).toMatchObject({
      status: 'confirmed',
      semantics: ['classic', 'sticky-stop'],
      invariant: 'report-lost-after-detach',
    });
    expect(reap?.schedule).toMatchObject({ file: REAP, workload: 'tiny' });
    const gone = doc.diagnostics.find((d) => d.code === 'UTR3008')?.confirmation;
    expect(gone).toMatchObject({ status: 'not-confirmed', semantics: [], invariant: null, schedule: null });

    const file = join(mkdtempSync(join(tmpdir(), 'utrc-confirm-')), 's.json');
    writeFileSync(file, JSON.stringify(lost?.schedule));
    const replay = utrc(['run', LOST, '--schedule', file], { env });
    expect(replay.status).toBe(1);
    expect(replay.stderr).toContain('violation lost-stop');
  });

  it('leaves the document as it was without --confirm, and marks non-race diagnostics null with it', () => {
    const plain = JSON.parse(utrc(['check', '--format', 'json', LOST], { env }).stdout) as {
      diagnostics: object[];
    };
    expect(plain.diagnostics.every((d) => !('confirmation' in d))).toBe(true);
    // A suppression that silences nothing is a UTR3900 warning, not a race: it has no verdict.
    const program = 'engine e {\n  # utr-allow UTR3002: not here\n  on syscall_entry do resume\n}\n';
    const r = utrc(['check', '--confirm', '--format', 'json', '-e', program], { env });
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; confirmation: unknown }[] };
    expect(doc.diagnostics).toMatchObject([{ code: 'UTR3900', confirmation: null }]);
    const text = utrc(['check', '--confirm', '-e', program], { env });
    expect(text.stderr).not.toContain('UTR3900 not confirmed');
  });
});

describe('check --confirm workloads', () => {
  it('searches each file on the workload `utrc explore` would choose for its checked program', () => {
    const attach = 'examples/racy/utr3014-attach-child-outside-clone.utr';
    const wait = 'examples/racy/utr3010-stop-does-not-interrupt.utr';
    const r = utrc(['check', '--confirm', '--format', 'json', attach, wait], { env });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; confirmation: Verdict | null }[] };
    const verdict = (code: string): Verdict | null | undefined =>
      doc.diagnostics.find((d) => d.code === code)?.confirmation;
    // An engine that hears clones needs children to follow; control code that awaits a stop needs a blocked task.
    expect(verdict('UTR3014')).toMatchObject({
      status: 'confirmed',
      invariant: 'missed-events',
      schedule: { file: attach, workload: 'fork-exec' },
    });
    expect(verdict('UTR3010')).toMatchObject({
      status: 'confirmed',
      invariant: 'wait-never-ends',
      schedule: { file: wait, workload: 'blocked-read' },
    });
  });
});

describe('check --confirm --format sarif', () => {
  it('carries each verdict and its schedule in the result properties, and only the log on stdout', () => {
    const r = utrc(['check', '--confirm', '--format', 'sarif', LOST], { env });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: { results: { ruleId: string; properties?: { confirmation: Verdict } }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    const result = log.runs[0]?.results.find((x) => x.ruleId === 'UTR3002');
    expect(result?.properties?.confirmation).toMatchObject({ status: 'confirmed', invariant: 'lost-stop' });
    expect(result?.properties?.confirmation.schedule?.choices.length).toBeGreaterThan(0);
  });
});
