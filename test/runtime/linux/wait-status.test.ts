/**
 * Wait-status decoding, on the status words the kernel builds (`exit_code << 8`, `0x7f | sig << 8 | event << 16`),
 * checked against every stop kind the tracer tells apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExitStatus, decodeWaitStatus, isStopSignal, shellExitCode } from '../../../src/runtime/linux/index.js';

const stopped = (signal: number, event = 0) => 0x7f | (signal << 8) | (event << 16);

describe('decodeWaitStatus', () => {
  it('tells apart exits, deaths by signal, syscall stops, event stops and signal stops', () => {
    expect(decodeWaitStatus(42 << 8)).toEqual({ kind: 'exited', status: { code: 42 } });
    expect(decodeWaitStatus(9)).toEqual({ kind: 'exited', status: { signal: 9, core: false } });
    expect(decodeWaitStatus(11 | 0x80)).toEqual({ kind: 'exited', status: { signal: 11, core: true } });
    expect(decodeWaitStatus(stopped(5 | 0x80))).toEqual({ kind: 'syscall' });
    expect(decodeWaitStatus(stopped(5, 3))).toEqual({ kind: 'event', event: 3, signal: 5 });
    expect(decodeWaitStatus(stopped(19, 128))).toEqual({ kind: 'event', event: 128, signal: 19 });
    expect(decodeWaitStatus(stopped(10))).toEqual({ kind: 'signal', signal: 10 });
    expect(decodeWaitStatus(0xffff)).toEqual({ kind: 'continued' });
  });

  it('decodes every exit code and every signal stop losslessly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (code) => {
        expect(decodeWaitStatus(code << 8)).toEqual({ kind: 'exited', status: { code } });
        expect(decodeExitStatus(code << 8)).toEqual({ code });
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }).filter((s) => s !== 5),
        (signal) => {
          expect(decodeWaitStatus(stopped(signal))).toEqual({ kind: 'signal', signal });
        },
      ),
    );
  });
});

describe('exit codes and stop signals', () => {
  it('gives the shell convention: the code, or 128 + the signal', () => {
    expect(shellExitCode({ code: 3 })).toBe(3);
    expect(shellExitCode({ signal: 15, core: false })).toBe(143);
  });

  it('knows the job-control stop signals', () => {
    expect([19, 20, 21, 22].every(isStopSignal)).toBe(true);
    expect([5, 9, 17, 18].some(isStopSignal)).toBe(false);
  });
});
