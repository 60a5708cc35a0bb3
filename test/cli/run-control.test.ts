/** `utrc run --control`: times and arguments are read as the language reads its literals, and a bad one is exit 2. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasStackTrace, utrc } from './helpers.js';

const env = { UTRC_CACHE_DIR: mkdtempSync(join(tmpdir(), 'utrc-run-control-')) };
const PROGRAM = 'engine e {\n  control c(n: int, d: duration) do emit "{n} {d}"\n  on exit(x) do resume\n}\n';

/** `utrc run -e PROGRAM --control CONTROL` on a short workload. */
function runWith(control: string): ReturnType<typeof utrc> {
  return utrc(['run', '-e', PROGRAM, '--workload', 'busy-loop', '--control', control], { env });
}

describe('utrc run --control', () => {
  it('refuses a time beyond 64 bits of nanoseconds with a one-line usage error', () => {
    expect(runWith('c:1,1ms@99999999999999h')).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'utrc: `--control c:1,1ms@99999999999999h`: duration `99999999999999h` does not fit in 64 bits of nanoseconds\n',
    });
  });

  it('refuses arguments the language would not read, without an internal error', () => {
    for (const [args, message] of [
      ['0x_,1ms', 'argument `n`: invalid number `0x_`; a hex number needs digits after `0x`'],
      ['0x1_0000_0000_0000_0000,1ms', 'argument `n`: integer `0x1_0000_0000_0000_0000` does not fit in 64 bits'],
      ['1,99999999999999h', 'argument `d`: duration `99999999999999h` does not fit in 64 bits of nanoseconds'],
    ]) {
      const r = runWith(`c:${args}@1us`);
      expect(r.status, args).toBe(2);
      expect(r.stderr, args).toBe(`utrc: ${message}\n`);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it('runs the control with arguments that fit', () => {
    const r = runWith('c:0xff,1_500us@1us');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('255 1500us');
  });

  it('is refused the same way by explore, which finds an unknown control only when it first runs the engines', () => {
    const r = utrc(['explore', '-e', PROGRAM, '--control', 'e.nope', '--quiet'], { env });
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr: 'utrc: `--control e.nope`: no control `nope` (there are `e.c`)\n',
    });
  });
});
