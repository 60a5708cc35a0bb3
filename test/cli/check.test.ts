import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, expectGolden, hasStackTrace, utrc } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'utrc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('utrc check: exit status and output', () => {
  it('exits 0 and says so for a clean file', () => {
    const r = utrc(['check', 'test/cli/fixtures/clean.utr']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: 'checked 1 file: no problems\n' });
  });

  it('exits 1 and renders each error with its source line and carets', () => {
    const r = utrc(['check', 'test/cli/fixtures/errors.utr']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expectGolden('errors.stderr.txt', r.stderr);
  });

  it('exits 0 for warnings, but prints them', () => {
    const r = utrc(['check', 'test/cli/fixtures/warnings.utr']);
    expect(r.status).toBe(0);
    expectGolden('warnings.stderr.txt', r.stderr);
  });

  it('--quiet shows errors only, without the summary', () => {
    const warn = utrc(['check', '--quiet', 'test/cli/fixtures/warnings.utr']);
    expect(warn).toEqual({ status: 0, stdout: '', stderr: '' });
    const err = utrc(['check', '-q', 'test/cli/fixtures/errors.utr']);
    expect(err.status).toBe(1);
    expect(err.stderr).toMatch(/^error\[UTR\d{4}\]/);
    expect(err.stderr).not.toContain('checked 1 file');
  });

  it('--format json prints one document on stdout with positions and a summary', () => {
    const r = utrc(['check', '--format', 'json', 'test/cli/fixtures/errors.utr', 'test/cli/fixtures/clean.utr']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as {
      version: number;
      diagnostics: { code: string; severity: string; file: string; start: { line: number; column: number } }[];
      summary: { errors: number; warnings: number; infos: number; files: number };
    };
    expect(doc.version).toBe(1);
    expect(doc.summary.files).toBe(2);
    expect(doc.summary.errors).toBeGreaterThan(0);
    expect(doc.diagnostics.length).toBe(doc.summary.errors + doc.summary.warnings + doc.summary.infos);
    for (const d of doc.diagnostics) {
      expect(d.code).toMatch(/^UTR\d{4}$/);
      expect(d.file).toBe('test/cli/fixtures/errors.utr');
      expect(d.start.line).toBeGreaterThan(0);
      expect(d.start.column).toBeGreaterThan(0);
    }
  });

  it('checks a program from standard input with `-`, and a one-liner with -e', () => {
    const stdin = utrc(['check', '-'], { input: 'engine e {\n  on syscall_entry do resume\n  on oops do resume\n}\n' });
    expect(stdin.status).toBe(1);
    expect(stdin.stderr).toContain(' --> <stdin>:3:');
    const eval_ = utrc(['check', '-e', 'engine e { on syscall_entry do resume }']);
    expect(eval_).toEqual({ status: 0, stdout: '', stderr: 'checked 1 file: no problems\n' });
  });

  it('checks a name given twice once (a path spelt differently is another input)', () => {
    const r = utrc([
      'check',
      'test/cli/fixtures/clean.utr',
      './test/cli/fixtures/../fixtures/clean.utr',
      'test/cli/fixtures/clean.utr',
    ]);
    expect(r.stderr).toBe('checked 2 files: no problems\n');
  });

  it('checks every file named and counts them', () => {
    const r = utrc(['check', 'test/cli/fixtures/clean.utr', 'examples/syscount.utr']);
    expect(r).toEqual({ status: 0, stdout: '', stderr: 'checked 2 files: no problems\n' });
  });
});

describe('utrc check: race rules', () => {
  it('reports a race as a warning with both sides of it, and exits 0', () => {
    const r = utrc(['check', 'test/cli/fixtures/racy.utr']);
    expect(r.status).toBe(0);
    expectGolden('racy.stderr.txt', r.stderr);
  });

  it('--severity raises a rule to an error (exit 1) or turns it off, by code or by name', () => {
    const raised = utrc(['check', '--severity', 'UTR3002=error', 'test/cli/fixtures/racy.utr']);
    expect(raised.status).toBe(1);
    expect(raised.stderr).toContain('error[UTR3002]');
    const off = utrc(['check', '--severity', 'callback-clears-async-stop=off', 'test/cli/fixtures/racy.utr']);
    expect(off).toEqual({ status: 0, stdout: '', stderr: 'checked 1 file: no problems\n' });
  });

  it('--no-rule and --rule choose which rules run', () => {
    expect(utrc(['check', '--no-rule', 'UTR3002', 'test/cli/fixtures/racy.utr']).stderr).toBe(
      'checked 1 file: no problems\n',
    );
    expect(utrc(['check', '--rule', 'UTR3001', 'test/cli/fixtures/racy.utr']).stderr).toBe(
      'checked 1 file: no problems\n',
    );
    expect(utrc(['check', '--rule', 'UTR3002', 'test/cli/fixtures/racy.utr']).stderr).toContain('warning[UTR3002]');
  });

  it('refuses a rule that does not exist and a level that is not one', () => {
    expect(utrc(['check', '--no-rule', 'UTR3999', 'x.utr'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "utrc: unknown race rule `UTR3999`: give a UTR3xxx code or a rule name (see 'utrc rules')\n",
    });
    expect(utrc(['check', '--severity', 'UTR3002=loud', 'x.utr']).stderr).toBe(
      'utrc: `--severity` must be one of `error`, `warning`, `info`, `off`, not `loud`\n',
    );
    expect(utrc(['check', '--severity', 'UTR3002', 'x.utr']).stderr).toBe(
      'utrc: `--severity` takes RULE=LEVEL (e.g. UTR3002=error), not `UTR3002`\n',
    );
  });

  it('honours `# utr-allow CODE: reason` comments', () => {
    const text = readFileSync(`${ROOT}test/cli/fixtures/racy.utr`, 'utf8').replace(
      '    then stop match {',
      '    # utr-allow UTR3002: this engine is only ever paused by a debugger that also runs `go`\n    then stop match {',
    );
    expect(utrc(['check', '-'], { input: text })).toEqual({
      status: 0,
      stdout: '',
      stderr: 'checked 1 file: no problems\n',
    });
  });

  it('--format sarif writes a SARIF 2.1.0 log with the rule catalogue on stdout', () => {
    const r = utrc(['check', '--format', 'sarif', 'test/cli/fixtures/racy.utr']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: {
          driver: {
            name: string;
            rules: { id: string; help?: { markdown: string }; properties: { tags?: string[] } }[];
          };
        };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('utrc');
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('UTR3011');
    // Each race rule carries its docs/rules page, which code-scanning dashboards show next to an alert.
    const rule = run.tool.driver.rules.find((x) => x.id === 'UTR3002');
    expect(rule?.help?.markdown).toContain('## Why it is a race');
    expect(rule?.properties.tags).toEqual(['race', 'stop']);
    expect(run.tool.driver.rules.map((x) => x.id)).toContain('UTR3900');
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ ruleId: 'UTR3002', level: 'warning' });
    expect(run.results[0]!.locations[0]!.physicalLocation.region.startLine).toBe(7);
  });

  it('runs the race rules only once a file has no errors', () => {
    const text = readFileSync(`${ROOT}test/cli/fixtures/racy.utr`, 'utf8').replace(
      'on quiesce do resume',
      'on quiesce do resume then oops',
    );
    const r = utrc(['check', '-'], { input: text });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('UTR3002');
    expect(r.stderr).toMatch(/checked 1 file: 1 error \(race rules run once the errors are fixed\)\n$/);
    const json = JSON.parse(utrc(['check', '--format', 'json', '-'], { input: text }).stdout) as {
      summary: { racesSkipped: number };
    };
    expect(json.summary.racesSkipped).toBe(1);
  });
});

describe('utrc check: colour', () => {
  it('uses no colour on a pipe, and colour with --color always even when NO_COLOR is set', () => {
    expect(utrc(['check', 'test/cli/fixtures/errors.utr']).stderr).not.toContain('\x1b[');
    expect(
      utrc(['check', '--color', 'always', 'test/cli/fixtures/errors.utr'], { env: { NO_COLOR: '1' } }).stderr,
    ).toContain('\x1b[1;31merror[');
    expect(utrc(['check', '--color', 'never', 'test/cli/fixtures/errors.utr']).stderr).not.toContain('\x1b[');
  });
});

describe('utrc check: usage and I/O problems exit 2 with one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['check', 'no/such.utr'], /^utrc: cannot read `no\/such.utr`: no such file\n$/],
    ['a directory', ['check', 'examples'], /^utrc: `examples` is a directory, not a \.utr file\n$/],
    [
      'an unknown option',
      ['check', '--frobnicate', 'x.utr'],
      /^utrc: unknown option `--frobnicate` \(see 'utrc check --help'\)\n$/,
    ],
    [
      'a bad --format',
      ['check', '--format', 'xml', 'x.utr'],
      /^utrc: `--format` must be one of `text`, `json`.*, not `xml`\n$/,
    ],
    [
      'a bad --arch',
      ['check', '--arch', 'mips', 'x.utr'],
      /^utrc: `--arch` must be one of `x86_64`, `aarch64`, not `mips`\n$/,
    ],
    ['no input', ['check'], /^utrc: no input: .*\n$/],
    ['-e and a file', ['check', '-e', 'engine e {}', 'x.utr'], /^utrc: give either -e PROGRAM or files, not both.*\n$/],
    ['an unknown verb', ['frobnicate'], /^utrc: unknown command 'frobnicate' \(try 'utrc --help'\)\n$/],
  ];
  for (const [what, args, message] of cases) {
    it(`for ${what}`, () => {
      const r = utrc(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }

  it('for a binary file and a file that is not UTF-8', () => {
    const bin = join(tmp, 'a.out');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]));
    const latin1 = join(tmp, 'latin1.utr');
    writeFileSync(latin1, Buffer.from('engine caf\xe9 {}\n', 'latin1'));
    expect(utrc(['check', bin])).toEqual({
      status: 2,
      stdout: '',
      stderr: `utrc: \`${bin}\` looks like a binary file (it contains NUL bytes), not .utr text\n`,
    });
    expect(utrc(['check', latin1])).toEqual({
      status: 2,
      stdout: '',
      stderr: `utrc: \`${latin1}\` is not valid UTF-8 text\n`,
    });
  });

  it('still checks the readable files when one input is missing', () => {
    const r = utrc(['check', 'test/cli/fixtures/errors.utr', 'missing.utr']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('utrc: cannot read `missing.utr`: no such file\n');
    expect(r.stderr).toMatch(/error\[UTR\d{4}\]/);
  });
});

describe('utrc check: never a stack trace', () => {
  const garbage = [
    '',
    '}}}}',
    'engine',
    'engine e { on',
    'engine e { state x: map<map<map<',
    '"unterminated {',
    '\u{1F600} engine \u200b e { }',
    'engine e { on syscall_entry(c) do emit "{c.arg[99999999999999999999999]}" then resume }',
    'arch pdp11\nengine e { every 0ms do stop }',
    '(((((((((((((((((((((((((((((((((((((((((((((((((((((((((((('.repeat(50),
    'engine e { control c(x: int, x: int) do abort then fate core then await stopped }',
  ];
  for (const text of garbage) {
    it(`on ${JSON.stringify(text.slice(0, 40))}`, () => {
      const r = utrc(['check', '-'], { input: text });
      expect([0, 1]).toContain(r.status);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(r.stderr).not.toContain('internal error');
    });
  }
});

describe('utrc --help, --version, help', () => {
  it('lists the verbs with an example', () => {
    const r = utrc(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^utrc \d+\.\d+\.\d+: /);
    expect(r.stdout).toMatch(/\n {2}check +parse, type-check and race-check/);
    expect(r.stdout).toContain('Example:\n  utrc check examples/syscount.utr');
  });

  it('prints usage on stderr and exits 2 without a verb', () => {
    const r = utrc([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: utrc <command>');
  });

  it('prints the version from package.json', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(utrc(['--version'])).toEqual({ status: 0, stdout: `utrc ${version}\n`, stderr: '' });
    expect(utrc(['-V']).stdout).toBe(`utrc ${version}\n`);
  });

  it('shows the verb help with examples, both ways', () => {
    const r = utrc(['check', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: utrc check [options] FILE...');
    expect(r.stdout).toContain('Examples:\n  utrc check examples/syscount.utr');
    expect(utrc(['help', 'check']).stdout).toBe(r.stdout);
  });
});
