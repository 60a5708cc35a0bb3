/** `utrc explore` and `utrc run --schedule` as a user runs them (the built CLI). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { utrc } from '../cli/helpers.js';

const RACY = 'examples/racy/utr3003-async-resume-vs-callback-stop.utr';
const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-explore-cache-')) };

describe('utrc explore', () => {
  it('exits 1 with a numbered counterexample naming .utr lines, and 0 on a correct engine', () => {
    const bad = utrc(['explore', RACY, '--budget', '5'], { env });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('violation [classic] unexpected-stop');
    expect(bad.stdout).toMatch(/ 1\. \[/);
    expect(bad.stdout).toContain(`${RACY}:20)`);
    // Not a terminal: no progress bar.
    expect(bad.stderr).not.toContain('\r');
    const good = utrc(['explore', 'examples/syscount.utr', '--budget', '5'], { env });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('no violation');
    expect(good.stdout).toContain('all schedules within preemption bound 2');
    // The default search counts the distinct states it explored; each reduction finds the same race.
    expect(good.stdout).toMatch(/\d+ schedules?, \d+ states?, 1 distinct outcome/);
    for (const reduction of ['dpor', 'none']) {
      const r = utrc(['explore', RACY, '--budget', '5', '--reduction', reduction], { env });
      expect(r.status, reduction).toBe(1);
      expect(r.stdout, reduction).toContain('violation [classic] unexpected-stop');
      expect(r.stdout, reduction).not.toMatch(/\d+ states?,/);
    }
  });

  it('says per semantics which invariants fail with --semantics both', () => {
    const r = utrc(['explore', 'examples/racy/utr3002-callback-clears-async-stop.utr', '--semantics', 'both'], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/: classic: violates `lost-stop`/);
    expect(r.stdout).toMatch(/: sticky-stop: no violation/);
  });

  it('saves a schedule that `utrc run --schedule` replays to the same event log every time', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utrc-explore-'));
    const schedule = join(dir, 's.json');
    const found = utrc(['explore', RACY, '--format', 'json', '--save-schedule', schedule], { env });
    expect(found.status).toBe(1);
    const report = JSON.parse(found.stdout) as {
      counterexamples: { steps: { text: string; violation?: boolean }[] }[];
    };
    const first = utrc(['run', RACY, '--schedule', schedule], { env });
    const second = utrc(['run', RACY, '--schedule', schedule], { env });
    expect(first.status).toBe(1);
    expect(first.stderr).toContain('violation unexpected-stop');
    expect(second.stdout).toBe(first.stdout);
    const lines = first.stdout.split('\n');
    const steps = report.counterexamples[0]?.steps ?? [];
    expect(steps.length).toBeGreaterThan(5);
    let at = 0;
    // Every step but the schedule's own release markers is a line of the replayed event log, in order.
    for (const s of steps.filter((x) => !x.text.startsWith('schedule: '))) {
      const i = lines.indexOf(s.text, at);
      expect(i, s.text).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    expect(JSON.parse(readFileSync(schedule, 'utf8'))).toMatchObject({ format: 2, semantics: 'classic' });
  });

  it('writes a standalone HTML report with a sequence diagram', () => {
    const dir = mkdtempSync(join(tmpdir(), 'utrc-explore-'));
    const out = join(dir, 'r.html');
    const r = utrc(['explore', RACY, '--format', 'html', '-o', out], { env });
    expect(r.status).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('engine parker');
    expect(html).toContain('debugger parker: control cont');
    expect(html).not.toContain('<script');
  });

  it('exits 2 on usage errors and bad schedules, with one line', () => {
    expect(utrc(['explore'], { env }).status).toBe(2);
    const b = utrc(['explore', RACY, '--bound', 'x'], { env });
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('`--bound`');
    const red = utrc(['explore', RACY, '--reduction', 'sleep-sets'], { env });
    expect(red.status).toBe(2);
    expect(red.stderr).toContain('`--reduction`');
    const both = utrc(['explore', RACY, '--reduction', 'dpor', '--seed', '3'], { env });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('`--seed` asks for the randomized one');
    const w = utrc(['explore', RACY, '--workload', 'nope'], { env });
    expect(w.status).toBe(2);
    expect(w.stderr).toContain('no workload `nope`');
    const s = utrc(['run', RACY, '--schedule', '/nonexistent/s.json'], { env });
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/\nutrc: cannot read schedule `\/nonexistent\/s.json`: no such file\n$/);
  });

  it('check --confirm marks each race warning confirmed (with its invariant) or not', () => {
    const r = utrc(
      [
        'check',
        '--confirm',
        'examples/racy/utr3002-callback-clears-async-stop.utr',
        'examples/racy/utr3015-reap-after-death-detach.utr',
        'examples/racy/utr3008-unhandled-gone.utr',
      ],
      { env },
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(
      /utr3002-callback-clears-async-stop\.utr:\d+: UTR3002 confirmed: `lost-stop` under classic \(/,
    );
    // One table of rule symptoms: the explorer's own monitors confirm UTR3015 too.
    expect(r.stderr).toMatch(
      /utr3015-reap-after-death-detach\.utr:\d+: UTR3015 confirmed: `report-lost-after-detach` under classic and sticky-stop/,
    );
    // UTR3008's symptom is the engine's own bookkeeping: no invariant states it, so no search is spent on it.
    expect(r.stderr).toMatch(
      /utr3008-unhandled-gone\.utr:\d+: UTR3008 not confirmed: its symptom is none of the explorer invariants/,
    );
  });
});
