/**
 * The README's tour shows real output; these tests rerun it, so the README cannot drift from what utrc prints.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, utrc } from './helpers.js';

const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'utrc-readme-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The fenced blocks of the README, in order. */
const blocks = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
  lang: m[1] ?? '',
  body: m[2] ?? '',
}));

/** The console block that shows `$ npx utrc ARGS`, as the command's arguments and its printed output. */
function session(command: string): { args: string[]; output: string } {
  const block = blocks.find((b) => b.lang === 'console' && b.body.startsWith(`$ npx utrc ${command}\n`));
  if (!block) throw new Error(`README has no console block for \`utrc ${command}\``);
  return { args: command.split(' '), output: block.body.slice(block.body.indexOf('\n') + 1) };
}

/** Runs a command from the README in the directory holding `pauser.utr`; output as a terminal shows it. */
function run(args: string[]): { status: number | null; output: string } {
  const r = utrc(args, { cwd: tmp });
  return { status: r.status, output: r.stdout + r.stderr };
}

const pauser = blocks.find((b) => b.lang === '' && b.body.startsWith('# pauser.utr'));
const quiesceFix = blocks.find((b) => b.lang === '' && b.body.startsWith('  on quiesce when want_stop do stop\n'));

describe('README tour', () => {
  it('shows the examples checking clean', () => {
    const { args, output } = session('check examples/*.utr');
    // What the shell makes of `examples/*.utr`.
    const files = readdirSync(`${ROOT}examples`)
      .filter((f) => f.endsWith('.utr'))
      .sort();
    const r = utrc([args[0]!, ...files.map((f) => `examples/${f}`)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(output);
  });

  it('shows the real diagnostic for the racy pauser, and the fixed pauser checking clean', () => {
    expect(pauser).toBeDefined();
    writeFileSync(join(tmp, 'pauser.utr'), pauser!.body);
    const racy = session('check pauser.utr');
    expect(run(racy.args)).toEqual({ status: 0, output: racy.output });

    expect(quiesceFix).toBeDefined();
    writeFileSync(join(tmp, 'pauser.utr'), pauser!.body.replace('  on quiesce do resume\n', quiesceFix!.body));
    const fixed = blocks.filter((b) => b.lang === 'console' && b.body.startsWith('$ npx utrc check pauser.utr\n'))[1];
    expect(fixed).toBeDefined();
    expect(run(['check', 'pauser.utr']).output).toBe(fixed!.body.slice(fixed!.body.indexOf('\n') + 1));
  });

  it('shows the explorer proving the race under classic utrace, and none under sticky-stop', () => {
    writeFileSync(join(tmp, 'pauser.utr'), pauser!.body);
    const { args, output } = session('explore pauser.utr --semantics both');
    const r = run(args);
    expect(r.status).toBe(1);
    // Elapsed times are the only thing that varies from run to run.
    const untimed = (text: string): string => text.replace(/\d+\.\ds\)/g, 'Ts)');
    expect(untimed(r.output)).toBe(untimed(output));
  });

  it('shows the real type error for the one-liner', () => {
    const block = blocks.find((b) => b.lang === 'console' && b.body.startsWith("$ npx utrc check -e '"));
    expect(block).toBeDefined();
    const program = /-e '([^']*)'/.exec(block!.body)![1]!;
    const r = utrc(['check', '-e', program]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(block!.body.slice(block!.body.indexOf('\n') + 1));
  });
});

describe('README run', () => {
  it('shows the real output of the simulator run', () => {
    const { args, output } = session('run examples/syscount.utr');
    const r = utrc(args);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe(output);
  });
});

describe('README build', () => {
  it('shows what utrc build prints', () => {
    const { args, output } = session('build examples/syscount.utr -o engines/');
    const out = mkdtempSync(join(tmpdir(), 'utrc-readme-build-'));
    try {
      const r = utrc([...args.slice(0, -1), join(out, 'engines/')]);
      expect(r.status).toBe(0);
      expect(r.stdout + r.stderr).toBe(output.replace('engines/', `${join(out, 'engines')}/`));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
