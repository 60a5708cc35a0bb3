/**
 * Reads the `.utr` sources named on the command line, turning every way that can fail into one clear sentence
 * (a missing file, a directory, no permission, binary or non-UTF-8 content) instead of an exception.
 */
import { readFileSync, statSync } from 'node:fs';
import { SourceFile } from '../diagnostics/source.js';
import { errorMessage } from '../runtime/lib/errors.js';

/** The name a program read from standard input goes by in diagnostics. */
const STDIN_NAME = '<stdin>';
/** The name a `-e` one-liner goes by in diagnostics. */
export const EVAL_NAME = '<-e>';

/** Why an input could not be read, as one line for stderr. */
export class InputError extends Error {}

/** Source files larger than this are refused: a `.utr` file is hand-written, and a huge input is a mistake. */
const MAX_BYTES = 64 * 1024 * 1024;

/** Reads one named file as a UTF-8 source file; throws `InputError` with a readable reason. */
export function readSource(name: string, cwd: string): SourceFile {
  const path = resolvePath(cwd, name);
  let bytes: Buffer;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new InputError(`\`${name}\` is a directory, not a .utr file`);
    if (!info.isFile()) throw new InputError(`\`${name}\` is not a regular file`);
    if (info.size > MAX_BYTES) throw new InputError(`\`${name}\` is too large (${info.size} bytes) for a .utr source`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read \`${name}\`: ${describeFsError(error)}`);
  }
  return new SourceFile(name, decode(bytes, `\`${name}\``));
}

/** Decodes UTF-8 strictly (a BOM is dropped); binary or other encodings are refused rather than misreported. */
function decode(bytes: Buffer, what: string): string {
  if (bytes.includes(0))
    throw new InputError(`${what} looks like a binary file (it contains NUL bytes), not .utr text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${what} is not valid UTF-8 text`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A failed file system call as the end of a one-line message (`cannot read \`x\`: …`), in words rather than Node's
 * `ENOENT: no such file or directory, open '/abs/path'`. `writing`: a missing name then means a missing directory.
 */
export function describeFsError(error: unknown, { writing = false }: { writing?: boolean } = {}): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return writing ? 'no such directory' : 'no such file';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return errorMessage(error);
  }
}

function resolvePath(cwd: string, name: string): string {
  return name.startsWith('/') ? name : `${cwd.replace(/\/+$/, '')}/${name}`;
}

/** Reads a whole program from standard input (`utrc check -`). */
export async function readStdinSource(stream: NodeJS.ReadableStream): Promise<SourceFile> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += b.length;
      if (size > MAX_BYTES) throw new InputError(`standard input is too large for a .utr source`);
      chunks.push(b);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read standard input: ${describeFsError(error)}`);
  }
  return new SourceFile(STDIN_NAME, decode(Buffer.concat(chunks), 'standard input'));
}

/**
 * Reads one input named on the command line: `-` is standard input (announced on a terminal, where it would
 * otherwise wait silently), anything else a file. Throws `InputError`.
 */
export async function readInput(
  name: string,
  io: { readonly stdin?: NodeJS.ReadableStream; readonly stderr: NodeJS.WritableStream; readonly cwd: string },
): Promise<SourceFile> {
  if (name !== '-') return readSource(name, io.cwd);
  if (!io.stdin) throw new InputError('standard input is not available');
  if ((io.stdin as { isTTY?: boolean }).isTTY === true)
    io.stderr.write('utrc: reading a program from standard input; end it with Ctrl-D\n');
  return readStdinSource(io.stdin);
}
