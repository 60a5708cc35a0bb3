/**
 * One line of an strace log, classified: a complete syscall, the first or second half of a syscall split by
 * another task (`<unfinished ...>` / `<... resumed>`), a signal, a stop, an exit or a kill. Handles the output of
 * `-f` with `-o` (a pid column) or to stderr (`[pid N]` prefixes), `-t`/`-tt`/`-ttt` timestamps and `-T`
 * durations. Never throws: a line it cannot read comes back as `{ kind: 'unknown' }` with the reason.
 */
import { skipString } from './strace-args.js';

/**
 * What a line says, with the pid (`undefined` when the line has no pid) and time in ns (when printed). With `-r`
 * the time is relative to the previous line (`relative` is true) and the reader must add the times up.
 */
export type StraceLine = {
  readonly pid: number | undefined;
  readonly timeNs: bigint | undefined;
  readonly relative?: boolean;
} & StraceBody;

/** The body of a line. */
export type StraceBody =
  | {
      /** A call printed whole: `openat(AT_FDCWD, "/etc", O_RDONLY) = 3`. */
      readonly kind: 'syscall';
      readonly name: string;
      readonly args: string;
      readonly result: string;
      /** From `-T`: time spent in the call, in ns. */
      readonly durationNs: bigint | undefined;
    }
  | {
      /** `read(0,  <unfinished ...>`: the call started; its end comes later on a `resumed` line. */
      readonly kind: 'unfinished';
      readonly name: string;
      readonly args: string;
    }
  | {
      /** `<... read resumed>"x", 1) = 1`: the end of an unfinished call (`rest` holds the remaining args). */
      readonly kind: 'resumed';
      readonly name: string;
      readonly rest: string;
      readonly result: string;
      readonly durationNs: bigint | undefined;
    }
  | {
      /** `--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7879, …} ---`. */
      readonly kind: 'signal';
      readonly signal: string;
      readonly code: string | undefined;
      readonly senderPid: number | undefined;
    }
  | { readonly kind: 'stopped'; readonly signal: string }
  | { readonly kind: 'exited'; readonly code: number }
  | { readonly kind: 'killed'; readonly signal: string; readonly core: boolean }
  | { readonly kind: 'superseded'; readonly byPid: number }
  | { readonly kind: 'attached' | 'detached' | 'blank' }
  /** A frame of a `-k` stack trace (` > /usr/lib/…/libc.so.6(write+0x17) [0x…]`). */
  | { readonly kind: 'stack' }
  | { readonly kind: 'unknown'; readonly reason: string };

const ATTACH_NOTE = /strace: Process \d+ (?:attached|detached|suspended)\n?/g;

/** Parses one line of an strace log. */
export function parseStraceLine(input: string): StraceLine {
  // In stderr mode strace's own notes can land in the middle of a traced line; they carry no information we need.
  let text = input.replace(ATTACH_NOTE, '').replace(/\r$/, '');
  let pid: number | undefined;
  let timeNs: bigint | undefined;
  const bracket = /^\[pid\s+(\d+)\]\s+/.exec(text);
  const column = bracket ? undefined : /^(\d+)\s+(?=\S)/.exec(text);
  if (bracket) {
    pid = Number(bracket[1]);
    text = text.slice(bracket[0].length);
  } else if (column && /^\d+\s+(\d{2}:\d{2}:\d{2}|\d+\.\d+\s|[a-z_?[]|---|\+\+\+|<\.\.\.)/i.test(text)) {
    pid = Number(column[1]);
    text = text.slice(column[0].length);
  }
  if (/^ > /.test(text)) return { pid, timeNs: undefined, kind: 'stack' };
  // -r prints the time since the previous line; -ttt the time since the epoch. Both are `S.ffffff`, but a
  // recording made since 1973 has an epoch time of at least 10^8 s, and a gap between two lines never does.
  const seconds = /^\s*(\d+)\.(\d{1,9})\s+/.exec(text);
  const relative = seconds && Number(seconds[1]) < 1e8 ? seconds : undefined;
  const time = relative ? undefined : /^(?:(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?|(\d+)\.(\d{1,9}))\s+/.exec(text);
  if (relative) {
    timeNs = BigInt(relative[1] ?? '0') * 1_000_000_000n + fractionNs(relative[2]);
    text = text.slice(relative[0].length);
  } else if (time) {
    timeNs =
      time[1] !== undefined
        ? clockNs(time[1], time[2] ?? '0', time[3] ?? '0', time[4])
        : BigInt(time[5] ?? '0') * 1_000_000_000n + fractionNs(time[6]);
    text = text.slice(time[0].length);
  }
  // -n prints the syscall number (`[  59] `), -i the instruction pointer (`[00007f688a5cead7] `).
  text = text.replace(/^\[\s*\d+\]\s+/, '').replace(/^\[[0-9a-f?]{8,16}\]\s+/, '');
  const at = relative ? { pid, timeNs, relative: true } : { pid, timeNs };
  const trimmed = text.trim();
  if (trimmed === '') return { ...at, kind: 'blank' };
  if (/^strace: Process \d+ attached/.test(trimmed)) return { ...at, kind: 'attached' };
  if (/^strace: Process \d+ detached/.test(trimmed)) return { ...at, kind: 'detached' };
  return { ...at, ...parseBody(trimmed) };
}

function clockNs(h: string, m: string, s: string, frac: string | undefined): bigint {
  return (BigInt(h) * 3600n + BigInt(m) * 60n + BigInt(s)) * 1_000_000_000n + fractionNs(frac);
}

function fractionNs(frac: string | undefined): bigint {
  return frac === undefined ? 0n : BigInt(frac.padEnd(9, '0').slice(0, 9));
}

function parseBody(text: string): StraceBody {
  let m = /^--- (SIG[A-Z0-9_+]+|\d+) (.*) ---$/.exec(text);
  if (m) {
    const info = m[2] ?? '';
    const code = /si_code=([A-Z_0-9]+)/.exec(info)?.[1];
    const sender = /si_pid=(\d+)/.exec(info)?.[1];
    return {
      kind: 'signal',
      signal: m[1] as string,
      code,
      senderPid: sender === undefined ? undefined : Number(sender),
    };
  }
  m = /^--- stopped by (SIG[A-Z0-9_+]+) ---$/.exec(text);
  if (m) return { kind: 'stopped', signal: m[1] as string };
  m = /^\+\+\+ exited with (\d+) \+\+\+$/.exec(text);
  if (m) return { kind: 'exited', code: Number(m[1]) };
  m = /^\+\+\+ killed by (SIG[A-Z0-9_+]+)( \(core dumped\))? \+\+\+$/.exec(text);
  if (m) return { kind: 'killed', signal: m[1] as string, core: m[2] !== undefined };
  m = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+$/.exec(text);
  if (m) return { kind: 'superseded', byPid: Number(m[1]) };
  m = /^<\.\.\. ([A-Za-z0-9_]+) resumed>\s?([\s\S]*)$/.exec(text);
  if (m) {
    const name = m[1] as string;
    const tail = splitResult(m[2] ?? '', 0);
    if (!tail) return { kind: 'unknown', reason: `\`${name}\` resumes without \`) = RESULT\`` };
    return { kind: 'resumed', name, rest: tail.args, result: tail.result, durationNs: tail.durationNs };
  }
  m = /^([A-Za-z_][A-Za-z0-9_]*)\(/.exec(text);
  if (m) {
    const name = m[1] as string;
    const after = text.slice(m[0].length);
    const unfinished = /\s*<unfinished \.\.\.>$/.exec(after);
    if (unfinished) return { kind: 'unfinished', name, args: after.slice(0, unfinished.index) };
    const tail = splitResult(after, 1);
    if (!tail) return { kind: 'unknown', reason: `the call to \`${name}\` has no \`) = RESULT\`` };
    return { kind: 'syscall', name, args: tail.args, result: tail.result, durationNs: tail.durationNs };
  }
  return { kind: 'unknown', reason: 'not a syscall, signal or exit line' };
}

// Finds the `)` that closes the argument list (the list is `depth` parentheses deep at the start of `text`) and
// splits off ` = RESULT <DURATION>`.
function splitResult(
  text: string,
  depth: number,
): { args: string; result: string; durationNs: bigint | undefined } | undefined {
  let d = depth;
  let i = 0;
  let close = -1;
  if (d === 0) {
    // A resumed tail: the arguments continue until the last `) = ` that is outside strings.
    d = 1;
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = skipString(text, i);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') d++;
    else if (c === ')' || c === ']' || c === '}') {
      d--;
      if (d === 0 && c === ')') {
        close = i;
        break;
      }
    }
    i++;
  }
  if (close < 0) return undefined;
  const m = /^\s*=\s*(.*?)(?:\s+<(\d+)\.(\d+)>)?\s*$/.exec(text.slice(close + 1));
  if (!m) return undefined;
  const durationNs = m[2] === undefined ? undefined : BigInt(m[2]) * 1_000_000_000n + fractionNs(m[3]);
  return { args: text.slice(0, close), result: m[1] ?? '', durationNs };
}

/** A parsed `= RESULT` text. */
export type StraceResult =
  | { readonly kind: 'value'; readonly value: bigint; readonly text?: string }
  | { readonly kind: 'errno'; readonly errno: string }
  | { readonly kind: 'none' };

/** Parses the text after `=`: `3`, `0x55…`, `3</etc/passwd>`, `-1 ENOENT (No such file…)`, `?`, `? ERESTARTNOHAND (…)`, `0 (Timeout)`. */
export function parseStraceResult(text: string): StraceResult | undefined {
  const m = /^(\?|-?\d+|0x[0-9a-fA-F]+)(<[^>]*>)?(?:\s+(E[A-Z0-9_]+)(?:\s+\(.*\))?)?(?:\s+\(.*\)|\s+\[.*\])?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  if (m[3] !== undefined) return { kind: 'errno', errno: m[3] };
  if (m[1] === '?') return { kind: 'none' };
  const value = BigInt(m[1] as string);
  const annotation = text
    .trim()
    .slice((m[1] as string).length)
    .trim();
  return annotation === '' ? { kind: 'value', value } : { kind: 'value', value, text: text.trim() };
}
