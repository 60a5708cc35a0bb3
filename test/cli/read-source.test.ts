import { chmodSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { describeFsError, InputError, readSource, readStdinSource } from '../../src/cli/read-source.js';
import { utrc } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'utrc-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}

function reason(name: string): string {
  try {
    readSource(name, dir);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error(`reading ${name} did not fail`);
}

describe('readSource', () => {
  it('reads UTF-8 text under the name the user gave, dropping a byte-order mark', () => {
    const src = readSource(file('ok.utr', '\ufeffengine e {}\n'), dir);
    expect(src.path).toBe('ok.utr');
    expect(src.text).toBe('engine e {}\n');
  });

  it('explains a missing file, a directory and a path through a file in one sentence', () => {
    expect(reason('missing.utr')).toBe('cannot read `missing.utr`: no such file');
    mkdirSync(join(dir, 'sub'));
    expect(reason('sub')).toBe('`sub` is a directory, not a .utr file');
    file('plain', 'x');
    expect(reason('plain/x.utr')).toBe('cannot read `plain/x.utr`: a part of the path is not a directory');
  });

  it('refuses binary and non-UTF-8 content instead of reporting nonsense positions', () => {
    expect(reason(file('bin.utr', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1])))).toBe(
      '`bin.utr` looks like a binary file (it contains NUL bytes), not .utr text',
    );
    expect(reason(file('latin1.utr', Buffer.from('emit "caf\xe9"', 'latin1')))).toBe(
      '`latin1.utr` is not valid UTF-8 text',
    );
  });

  it('explains a file it may not read', () => {
    const name = file('secret.utr', 'engine e {}');
    chmodSync(join(dir, name), 0o000);
    // The superuser reads any file, so there the same call must simply succeed.
    if (process.getuid?.() === 0) expect(readSource(name, dir).text).toBe('engine e {}');
    else expect(reason(name)).toBe('cannot read `secret.utr`: permission denied');
  });
});

describe('readStdinSource', () => {
  it('reads a whole program from a stream, named <stdin>', async () => {
    const src = await readStdinSource(Readable.from([Buffer.from('engine '), Buffer.from('e {}\n')]));
    expect(src.path).toBe('<stdin>');
    expect(src.text).toBe('engine e {}\n');
  });

  it('refuses binary input on standard input', async () => {
    await expect(readStdinSource(Readable.from([Buffer.from([0, 1, 2])]))).rejects.toThrow(
      'standard input looks like a binary file',
    );
  });
});

describe('describeFsError', () => {
  /** The error a real file system call throws, for `path` relative to the scratch directory. */
  function failure(call: (path: string) => void, path: string): unknown {
    try {
      call(join(dir, path));
    } catch (error) {
      return error;
    }
    throw new Error(`${path} did not fail`);
  }

  it('says in words what went wrong, without the absolute path Node puts in its message', () => {
    file('plain', 'x');
    const missingDir = failure((p) => writeFileSync(p, 'x'), 'no/such/out.json');
    expect(describeFsError(missingDir)).toBe('no such file');
    expect(describeFsError(missingDir, { writing: true })).toBe('no such directory');
    expect(describeFsError(failure((p) => mkdirSync(p, { recursive: true }), 'plain/sub'))).toBe(
      'a part of the path is not a directory',
    );
    expect(describeFsError(new Error('something else'))).toBe('something else');
  });

  it('is what the verbs say when they cannot read or write a file', () => {
    file('notdir', 'x');
    const program = 'engine e { on exit(x) do resume }';
    expect(utrc(['build', '-e', program, '-o', join(dir, 'notdir', 'out')])).toEqual({
      status: 2,
      stdout: '',
      stderr: `utrc: cannot create \`${join(dir, 'notdir', 'out')}\`: a part of the path is not a directory\n`,
    });
    const workload = join(dir, 'notdir', 'w.json');
    expect(utrc(['run', '-e', program, '--workload', workload])).toEqual({
      status: 2,
      stdout: '',
      stderr: `utrc: cannot read workload \`${workload}\`: a part of the path is not a directory\n`,
    });
  });
});
