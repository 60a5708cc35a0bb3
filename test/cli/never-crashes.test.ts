/**
 * Whatever a user feeds `utrc check`, the answer is diagnostics and an exit status, never an internal error: the
 * whole pipeline (parser, checker, race rules, suppressions, renderers) is driven in process with generated input.
 */
import fc from 'fast-check';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ROOT } from './helpers.js';

/** Fragments of real programs, so generated input gets deep into the grammar instead of failing on the first token. */
const FRAGMENTS = [
  'engine e {',
  '}',
  'state x: int = 0',
  'state m: map<syscall, count>',
  'on syscall_entry(call)',
  'on quiesce',
  'on signal(sig)',
  'when',
  'do',
  'then',
  'resume',
  'stop',
  'detach',
  'interrupt',
  'singlestep',
  'nothing',
  'stop match {',
  'stopped =>',
  'pending =>',
  'gone =>',
  'control c',
  'every 10ms',
  'await stopped within 1s',
  'fetch regs',
  'set x = 1',
  'm[call.nr] += 1',
  'emit "{x}"',
  'if x > 0 {',
  '} else {',
  'fate ignore',
  'abort',
  'attach e to task',
  'events -syscall_entry',
  'barrier',
  'x',
  'call.ret',
  '(',
  ')',
  '"',
  '#',
  '# utr-allow UTR3002: r',
  '\n',
  ' ',
  ',',
  'arch x86_64',
  'arch aarch64',
  'regs.rip',
  'path(call.arg[0])',
  'in {openat, read}',
];

async function check(program: string): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const sink = (record: boolean) =>
    new Writable({
      write(chunk: Buffer, _e, done) {
        if (record) stderr += chunk.toString();
        done();
      },
    });
  const status = await main(['check', '--format', 'json', '-'], {
    stdout: sink(false),
    stderr: sink(true),
    stdin: Readable.from([Buffer.from(program)]),
    env: {},
    cwd: ROOT,
  });
  return { status, stderr };
}

describe('utrc check never crashes', () => {
  it('on sequences of program fragments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), async (parts) => {
        const r = await check(parts.join(' '));
        expect(r.stderr).toBe('');
        expect([0, 1]).toContain(r.status);
      }),
      { numRuns: 150 },
    );
  });

  it('on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const r = await check(text.replaceAll('\0', ''));
        expect(r.stderr).toBe('');
        expect([0, 1]).toContain(r.status);
      }),
      { numRuns: 100 },
    );
  });
});
