/** The CLI in process, with a fake terminal: what subprocess tests cannot show (a TTY on stderr). */
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { main } from '../../src/cli/main.js';
import { ROOT } from './helpers.js';

/** A stream that records what is written, and claims to be a terminal when asked to. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

async function runOnTerminal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = sink(true);
  const stderr = sink(true);
  const io: CliIo = { stdout, stderr, env, cwd: ROOT };
  const status = await main(args, io);
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

describe('colour on a terminal', () => {
  const racy = ['check', 'test/cli/fixtures/racy.utr'];

  it('colours diagnostics by default when stderr is a terminal', async () => {
    const r = await runOnTerminal(racy);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('\x1b[1;33mwarning[UTR3002]\x1b[0m');
  });

  it('stays plain when NO_COLOR is set, or TERM is dumb, or --color never is given', async () => {
    for (const [args, env] of [
      [racy, { NO_COLOR: '1' }],
      [racy, { TERM: 'dumb' }],
      [[...racy, '--color', 'never'], {}],
    ] as const) {
      const r = await runOnTerminal([...args], env);
      expect(r.stderr).toContain('warning[UTR3002]');
      expect(r.stderr).not.toContain('\x1b[');
    }
  });

  it('never colours JSON, even on a terminal', async () => {
    const r = await runOnTerminal([...racy, '--format', 'json', '--color', 'always']);
    expect(r.stdout).not.toContain('\x1b[');
    expect(JSON.parse(r.stdout)).toMatchObject({ summary: { warnings: 1 } });
  });
});

describe('main', () => {
  it('turns an unexpected exception into one line that names the version, with the trace only on request', async () => {
    const stdout = sink(false);
    const failing = Object.assign(sink(false), {
      // A stream that fails on first use stands in for any bug below `main`.
      write: () => {
        throw new Error('disk on fire');
      },
    });
    const status = await main(['check', '--help'], { stdout: failing, stderr: stdout, env: {}, cwd: ROOT });
    expect(status).toBe(70);
    expect(stdout.text()).toMatch(
      /^utrc: internal error: disk on fire\nThis is a bug in utrc \d+\.\d+\.\d+; please report it with the input that caused it\. \(set UTRC_DEBUG=1 for details\)\n$/,
    );
    const debug = sink(false);
    await main(['check', '--help'], { stdout: failing, stderr: debug, env: { UTRC_DEBUG: '1' }, cwd: ROOT });
    expect(debug.text()).toContain('    at ');
  });
});

describe('standard input on a terminal', () => {
  it('says it is waiting for a program, then checks what was typed', async () => {
    const stdout = sink(false);
    const stderr = sink(false);
    const stdin = Object.assign(Readable.from([Buffer.from('engine e { on quiesce do resume }\n')]), { isTTY: true });
    const status = await main(['check', '-'], { stdout, stderr, stdin, env: {}, cwd: ROOT });
    expect(status).toBe(0);
    expect(stderr.text()).toBe(
      'utrc: reading a program from standard input; end it with Ctrl-D\nchecked 1 file: no problems\n',
    );
  });
});

describe('help for every verb', () => {
  async function inProcess(args: string[]) {
    const stdout = sink(false);
    const stderr = sink(false);
    const status = await main(args, { stdout, stderr, env: {}, cwd: ROOT });
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  }

  for (const { name } of COMMANDS) {
    it(`utrc ${name} --help, -h and utrc help ${name} print its usage on stdout and exit 0`, async () => {
      const long = await inProcess([name, '--help']);
      expect(long.status).toBe(0);
      expect(long.stderr).toBe('');
      expect(long.stdout).toMatch(new RegExp(`^Usage: utrc ${name}\\b`));
      expect(long.stdout).toMatch(/\n {2}-h, --help +show this help\n/);
      expect(await inProcess([name, '-h'])).toEqual(long);
      expect(await inProcess(['help', name])).toEqual(long);
    });
  }

  it('reports a bad option before a --help after it, as a usage error', async () => {
    expect(await inProcess(['rules', '--frobnicate', '--help'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "utrc: unknown option `--frobnicate` (see 'utrc rules --help')\n",
    });
  });

  it('leaves a --help after `--` to the command utrc run traces', async () => {
    const r = await inProcess(['run', '-e', 'engine e {', '--', 'ls', '--help']);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain('Usage:');
  });
});
