/**
 * The pieces of an strace line below the line level: splitting an argument list at its top-level commas,
 * decoding strace's C string literals, and turning each argument's text into a model `Arg` (numbers and flag
 * expressions keep their value, strings go into memory, structures and arrays stay as text). Nothing here
 * throws: text it does not recognise becomes a `struct` argument holding that text.
 */
import { signalName, type ArchName } from '../../../arch/index.js';
import { evalFlags, parseIntLiteral, signalNumber } from './constants.js';
import type { Arg } from './types.js';

/** Splits `a, {b, c}, "d, e"` into its top-level parts, respecting brackets, quotes and comments. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  const last = text.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

/** Index just past the string literal starting at `i` (a `"`), or the end of the text if it is unterminated. */
export function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '\\') j += 2;
    else if (text[j] === '"') return j + 1;
    else j++;
  }
  return text.length;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 10,
  t: 9,
  r: 13,
  v: 11,
  f: 12,
  a: 7,
  b: 8,
  '\\': 92,
  '"': 34,
  "'": 39,
  '?': 63,
};

/**
 * Decodes the string literal at the start of `text` (`"a\nb\0"`, `"\177ELF"`), returning its bytes and whether
 * strace truncated it (a trailing `...`), or `undefined` when `text` is not exactly a literal.
 */
function decodeStringLiteral(text: string): { bytes: Buffer; truncated: boolean } | undefined {
  if (!text.startsWith('"')) return undefined;
  const end = skipString(text, 0);
  if (end > text.length || text[end - 1] !== '"' || end === 1) return undefined;
  const rest = text.slice(end);
  if (rest !== '' && rest !== '...') return undefined;
  const body = text.slice(1, end - 1);
  // Most strings (paths) have no escapes: one conversion, no per-character work.
  if (!body.includes('\\')) return { bytes: Buffer.from(body, 'utf8'), truncated: rest === '...' };
  const bytes: number[] = [];
  let plain = 0;
  const flush = (upTo: number): void => {
    if (upTo > plain) for (const b of Buffer.from(body.slice(plain, upTo), 'utf8')) bytes.push(b);
  };
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    flush(i);
    const n = body[++i];
    plain = i + 1;
    if (n === undefined) break;
    if (Object.hasOwn(SIMPLE_ESCAPES, n)) bytes.push(SIMPLE_ESCAPES[n] as number);
    else if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1, i + 3))?.[0] ?? '';
      bytes.push(hex === '' ? 120 : parseInt(hex, 16));
      i += hex.length;
    } else if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i, i + 3))?.[0] ?? n;
      bytes.push(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else bytes.push(n.charCodeAt(0) & 0xff);
    plain = i + 1;
  }
  flush(body.length);
  return { bytes: Buffer.from(bytes), truncated: rest === '...' };
}

/** True when the bytes are text a `str` argument can hold exactly (valid UTF-8, no NUL). */
function isText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** Turns a string literal's bytes into an argument: a `str` when it is text, else a `buf` of its bytes. */
function stringArg(bytes: Buffer, size?: number): Arg {
  if (isText(bytes) && size === undefined) return { kind: 'str', value: bytes.toString('utf8') };
  return { kind: 'buf', size: Math.max(size ?? 0, bytes.length), hex: bytes.toString('hex') };
}

/** Removes a `name=` prefix as strace prints it for clone's arguments (`flags=CLONE_VM|SIGCHLD`). */
function stripArgName(text: string): { name?: string; value: string } {
  const m = /^([a-z_][a-z0-9_]*)=(?!=)([\s\S]*)$/.exec(text);
  return m ? { name: m[1] as string, value: m[2] as string } : { value: text };
}

/**
 * Converts one argument's text to an `Arg`. Numbers and flag expressions become `int` (value 0 with the text kept
 * when a name in them is unknown), string literals `str` (or `buf` for binary data), string arrays `strs`, and
 * anything else (`{st_mode=…}`, `[3, 4]`, `0x7ffd… /* 35 vars *\/`) a `struct` or `int` with the text kept.
 */
export function convertArg(raw: string, arch: ArchName): Arg {
  // Logs repeat the same argument texts (flags, fds, paths) endlessly; `Arg`s are immutable, so share them.
  const key = `${arch}\0${raw}`;
  const cached = ARG_CACHE.get(key);
  if (cached) return cached;
  if (ARG_CACHE.size >= ARG_CACHE_LIMIT) ARG_CACHE.clear();
  const arg = convertUncached(raw, arch);
  ARG_CACHE.set(key, arg);
  return arg;
}

const ARG_CACHE = new Map<string, Arg>();
const ARG_CACHE_LIMIT = 50_000;

function convertUncached(raw: string, arch: ArchName): Arg {
  const text = stripArgName(raw.trim()).value.trim();
  if (text === 'NULL') return { kind: 'int', value: 0n, text };
  const literal = decodeStringLiteral(text);
  if (literal) return stringArg(literal.bytes);
  const num = parseIntLiteral(text);
  if (num !== undefined) return { kind: 'int', value: num };
  // A pointer with a comment (`0x7ffc… /* 35 vars */`) or an fd with its path (`3</etc/passwd>`, from -y).
  const annotated = /^(-?(?:0x[0-9a-fA-F]+|\d+))(?:\s*\/\*.*\*\/|<.*>)$/.exec(text);
  if (annotated) return { kind: 'int', value: parseIntLiteral(annotated[1] as string) ?? 0n, text };
  if (text.startsWith('[') && text.endsWith(']')) {
    const items = splitTopLevel(text.slice(1, -1));
    const strings = items.map((s) => decodeStringLiteral(s));
    if (items.length > 0 && strings.every((s) => s !== undefined && isText(s.bytes)))
      return { kind: 'strs', values: strings.map((s) => (s as { bytes: Buffer }).bytes.toString('utf8')) };
  }
  const flags = /^[A-Za-z0-9_|*+~ -]+$/.test(text) ? evalFlags(text, arch) : undefined;
  if (flags)
    return flags.unknown.length === 0 ? { kind: 'int', value: flags.value, text } : { kind: 'int', value: 0n, text };
  return { kind: 'struct', text };
}

/** Signal names in an strace signal set (`[USR1 CHLD]`, `~[RTMIN RT_1]`, `[]`), as `SIGxxx` names. */
export function parseSigset(text: string): string[] | undefined {
  const m = /^(~?)\[([^\]]*)\]$/.exec(text.trim());
  if (!m) return undefined;
  const names = (m[2] ?? '').split(/\s+/).filter((s) => s !== '');
  const numbers = new Set<number>();
  for (const n of names) {
    const signo = straceSignalNumber(n.startsWith('SIG') ? n : `SIG${n}`) ?? (/^\d+$/.test(n) ? Number(n) : undefined);
    if (signo === undefined || signo < 1 || signo > 64) return undefined;
    numbers.add(signo);
  }
  const chosen =
    m[1] === '~'
      ? Array.from({ length: 64 }, (_, i) => i + 1).filter((s) => !numbers.has(s) && s !== 9 && s !== 19)
      : [...numbers];
  return chosen.sort((a, b) => a - b).map(sigName);
}

/**
 * The number of a signal as strace names it. strace uses the kernel's numbering for real-time signals:
 * `SIGRTMIN` is 32 and `SIGRT_n` is 32+n (glibc's SIGRTMIN, which the model's `SIGRTMIN` means, is 34).
 */
export function straceSignalNumber(name: string): number | undefined {
  if (name === 'SIGRTMIN') return 32;
  const rt = /^SIGRT_(\d+)$/.exec(name);
  if (rt) return 32 + Number(rt[1]) <= 64 ? 32 + Number(rt[1]) : undefined;
  return signalNumber(name);
}

/** The name the model uses for a signal number (`SIGUSR1`, `SIGRTMIN+2`; strace's `SIGRT_0`/`SIGRT_1` for 32/33). */
export function sigName(signo: number): string {
  return signo === 32 || signo === 33 ? `SIGRT_${signo - 32}` : signalName(signo);
}
