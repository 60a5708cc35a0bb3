/**
 * Workloads to and from JSON. JSON has no bigint, so every bigint is written as `{"$bigint": "<decimal>"}`;
 * reading checks the shape of everything (a hand-edited file gets a message naming the bad field, never a crash
 * later inside the simulator). Semantic checks (programs exist, syscalls known…) are `validateWorkload`'s job.
 */
import { isArchName } from '../../../arch/index.js';
import { WorkloadError } from './errors.js';
import { assertValidWorkload } from './validate.js';
import type {
  Arg,
  Block,
  ChildSpec,
  ErrnoResult,
  Op,
  ProcessRef,
  ProcessSpec,
  Program,
  SignalTarget,
  SyscallResult,
  WaitTarget,
  Wake,
  Workload,
} from './types.js';

/** Serialises a workload as JSON text (bigints as `{"$bigint": "…"}`), indented when `indent` is given. */
export function workloadToJson(workload: Workload, indent?: number): string {
  return JSON.stringify(
    workload,
    (_key, value: unknown) => (typeof value === 'bigint' ? { $bigint: value.toString() } : value),
    indent,
  );
}

/**
 * Parses JSON text produced by `workloadToJson` (or written by hand), checking its shape and, unless
 * `validate: false`, running `assertValidWorkload` so a runnable workload comes back; throws `WorkloadError`.
 */
export function workloadFromJson(text: string, options: { validate?: boolean } = {}): Workload {
  const w = parseJson(text);
  if (options.validate ?? true) assertValidWorkload(w);
  return w;
}

function parseJson(text: string): Workload {
  let raw: unknown;
  try {
    raw = JSON.parse(text, (_key, value: unknown) => {
      if (isObject(value) && Object.keys(value).length === 1 && typeof value.$bigint === 'string') {
        if (!/^-?\d+$/.test(value.$bigint))
          throw new WorkloadError(`\`$bigint\` holds \`${value.$bigint}\`, which is not a decimal integer`);
        return BigInt(value.$bigint);
      }
      return value;
    });
  } catch (e) {
    if (e instanceof WorkloadError) throw e;
    throw new WorkloadError(`the workload is not valid JSON: ${(e as Error).message}`);
  }
  return decodeWorkload(raw);
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A small checking reader: each accessor names the JSON path of the field in its error.
class Reader {
  constructor(
    readonly value: Obj,
    readonly path: string,
  ) {}

  static of(v: unknown, path: string): Reader {
    if (!isObject(v)) throw new WorkloadError(`\`${path}\` must be an object`);
    return new Reader(v, path);
  }

  private fail(key: string, what: string): never {
    throw new WorkloadError(`\`${this.path}.${key}\` must be ${what}`);
  }

  has(key: string): boolean {
    return this.value[key] !== undefined;
  }

  str(key: string): string {
    const v = this.value[key];
    if (typeof v !== 'string') this.fail(key, 'a string');
    return v;
  }

  optStr(key: string): string | undefined {
    return this.has(key) ? this.str(key) : undefined;
  }

  oneOf<T extends string>(key: string, options: readonly T[]): T {
    const v = this.value[key];
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v))
      this.fail(key, `one of ${options.map((o) => `\`${o}\``).join(', ')}`);
    return v as T;
  }

  int(key: string): number {
    const v = this.value[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.fail(key, 'an integer');
    return v;
  }

  optInt(key: string): number | undefined {
    return this.has(key) ? this.int(key) : undefined;
  }

  bool(key: string): boolean {
    const v = this.value[key];
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  big(key: string): bigint {
    const v = this.value[key];
    if (typeof v !== 'bigint') this.fail(key, 'a bigint (`{"$bigint": "…"}`)');
    return v;
  }

  optBig(key: string): bigint | undefined {
    return this.has(key) ? this.big(key) : undefined;
  }

  strs(key: string): string[] {
    const v = this.value[key];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) this.fail(key, 'an array of strings');
    return v as string[];
  }

  optStrs(key: string): string[] | undefined {
    return this.has(key) ? this.strs(key) : undefined;
  }

  array(key: string): unknown[] {
    const v = this.value[key];
    if (!Array.isArray(v)) this.fail(key, 'an array');
    return v;
  }

  obj(key: string): Reader {
    return Reader.of(this.value[key], `${this.path}.${key}`);
  }
}

/** Checks that an already-parsed value (bigints as bigint) has the shape of a `Workload`; throws `WorkloadError`. */
export function decodeWorkload(raw: unknown): Workload {
  const r = Reader.of(raw, 'workload');
  const format = r.int('format');
  if (format !== 1) throw new WorkloadError(`\`workload.format\` is ${format}; this version of utrc reads format 1`);
  const arch = r.str('arch');
  if (!isArchName(arch))
    throw new WorkloadError(`\`workload.arch\` is \`${arch}\`; expected \`x86_64\` or \`aarch64\``);
  const programs: Record<string, Program> = {};
  const rawPrograms = r.obj('programs');
  for (const [name, p] of Object.entries(rawPrograms.value))
    programs[name] = decodeProgram(Reader.of(p, `programs.${name}`));
  const w: Workload = {
    format: 1,
    name: r.str('name'),
    description: r.str('description'),
    arch,
    init: decodeProcess(r.obj('init')),
    programs,
  };
  const timing = r.has('timing') ? r.obj('timing') : undefined;
  const source = r.has('source') ? r.obj('source') : undefined;
  return {
    ...w,
    ...(timing ? { timing: withOpt({}, 'syscallNs', timing.optBig('syscallNs')) } : {}),
    ...(source
      ? {
          source: withOpt(
            { kind: source.oneOf('kind', ['builtin', 'builder', 'strace'] as const) },
            'file',
            source.optStr('file'),
          ),
        }
      : {}),
  };
}

function withOpt<T extends object, K extends string, V>(
  base: T,
  key: K,
  value: V | undefined,
): T & Partial<Record<K, V>> {
  return value === undefined ? base : { ...base, [key]: value };
}

function decodeProcess(r: Reader): ProcessSpec {
  let p: ProcessSpec = { comm: r.str('comm'), program: r.str('program') };
  p = withOpt(p, 'exe', r.optStr('exe'));
  p = withOpt(p, 'argv', r.optStrs('argv'));
  if (r.has('regs')) {
    const regs: Record<string, bigint> = {};
    const rr = r.obj('regs');
    for (const key of Object.keys(rr.value)) regs[key] = rr.big(key);
    p = { ...p, regs };
  }
  return p;
}

function decodeProgram(r: Reader): Program {
  let p: Program = { ops: decodeOps(r, 'ops') };
  p = withOpt(p, 'description', r.optStr('description'));
  return withOpt(p, 'entry', r.optBig('entry'));
}

function decodeOps(r: Reader, key: string): Op[] {
  return r.array(key).map((o, i) => decodeOp(Reader.of(o, `${r.path}.${key}[${i}]`)));
}

const OP_KINDS = [
  'syscall',
  'compute',
  'repeat',
  'clone',
  'exec',
  'exit',
  'kill',
  'wait',
  'sigaction',
  'sigmask',
  'sigreturn',
  'timer',
  'setpgid',
  'signal-in',
] as const;

function decodeOp(r: Reader): Op {
  const kind = r.oneOf('kind', OP_KINDS);
  const common = withOpt(
    withOpt({}, 'line', r.optInt('line')),
    'costNs',
    kind === 'compute' || kind === 'repeat' || kind === 'signal-in' ? undefined : r.optBig('costNs'),
  );
  const errno = (): { result?: ErrnoResult } => (r.has('result') ? { result: decodeErrno(r.obj('result')) } : {});
  switch (kind) {
    case 'syscall': {
      const args = r.array('args').map((a, i) => decodeArg(Reader.of(a, `${r.path}.args[${i}]`)));
      let op: Op = { kind, ...common, name: r.str('name'), args };
      if (r.has('result')) op = { ...op, result: decodeResult(r.obj('result')) };
      if (r.has('block')) op = { ...op, block: decodeBlock(r.obj('block')) };
      if (r.has('wake')) op = { ...op, wake: decodeWake(r.obj('wake')) };
      return op;
    }
    case 'compute':
      return { kind, ...common, ns: r.big('ns') };
    case 'repeat':
      return { kind, ...common, count: r.int('count'), body: decodeOps(r, 'body') };
    case 'clone':
      return {
        kind,
        ...common,
        mode: r.oneOf('mode', ['fork', 'vfork', 'thread'] as const),
        via: r.oneOf('via', ['clone', 'clone3', 'fork', 'vfork'] as const),
        flags: r.big('flags'),
        child: decodeChild(r.obj('child')),
        ...errno(),
      };
    case 'exec': {
      let op: Op = { kind, ...common, path: r.str('path'), argv: r.strs('argv'), ...errno() };
      op = withOpt(op, 'envp', r.optStrs('envp'));
      op = withOpt(op, 'program', r.optStr('program'));
      return withOpt(op, 'comm', r.optStr('comm'));
    }
    case 'exit':
      return { kind, ...common, code: r.int('code'), group: r.bool('group') };
    case 'kill':
      return {
        kind,
        ...common,
        via: r.oneOf('via', ['kill', 'tkill', 'tgkill'] as const),
        target: decodeSignalTarget(r.obj('target')),
        signal: r.str('signal'),
        ...errno(),
      };
    case 'wait':
      return {
        kind,
        ...common,
        via: r.oneOf('via', ['wait4', 'waitid'] as const),
        target: decodeWaitTarget(r.obj('target')),
        options: r.big('options'),
        ...errno(),
      };
    case 'sigaction': {
      let op: Op = {
        kind,
        ...common,
        signal: r.str('signal'),
        action: r.oneOf('action', ['default', 'ignore', 'handler', 'query'] as const),
        ...errno(),
      };
      op = withOpt(op, 'handler', r.optStr('handler'));
      op = withOpt(op, 'flags', r.optBig('flags'));
      return withOpt(op, 'mask', r.optStrs('mask'));
    }
    case 'sigmask':
      return { kind, ...common, how: r.oneOf('how', ['block', 'unblock', 'set'] as const), signals: r.strs('signals') };
    case 'sigreturn':
      return { kind, ...common };
    case 'timer':
      return withOpt(
        {
          kind,
          ...common,
          via: r.oneOf('via', ['alarm', 'setitimer'] as const),
          which: r.oneOf('which', ['real', 'virtual', 'prof'] as const),
          valueNs: r.big('valueNs'),
        },
        'intervalNs',
        r.optBig('intervalNs'),
      );
    case 'setpgid':
      return {
        kind,
        ...common,
        target: decodeProcessRef(r.obj('target')),
        leader: decodeProcessRef(r.obj('leader')),
        ...errno(),
      };
    case 'signal-in':
      return withOpt(
        withOpt({ kind, ...common, signal: r.str('signal') }, 'code', r.optStr('code')),
        'senderPid',
        r.optInt('senderPid'),
      );
  }
}

function decodeArg(r: Reader): Arg {
  const kind = r.oneOf('kind', ['int', 'str', 'strs', 'buf', 'struct'] as const);
  switch (kind) {
    case 'int':
      return withOpt({ kind, value: r.big('value') }, 'text', r.optStr('text'));
    case 'str':
      return { kind, value: r.str('value') };
    case 'strs':
      return { kind, values: r.strs('values') };
    case 'buf': {
      const hex = r.optStr('hex');
      if (hex !== undefined && !/^(?:[0-9a-f]{2})*$/.test(hex))
        throw new WorkloadError(`\`${r.path}.hex\` must be lower-case hex, two digits a byte`);
      return withOpt({ kind, size: r.int('size') }, 'hex', hex);
    }
    case 'struct':
      return withOpt({ kind, text: r.str('text') }, 'size', r.optInt('size'));
  }
}

function decodeResult(r: Reader): SyscallResult {
  const kind = r.oneOf('kind', ['value', 'errno', 'auto'] as const);
  if (kind === 'value') return withOpt({ kind, value: r.big('value') }, 'text', r.optStr('text'));
  if (kind === 'errno') return { kind, errno: r.str('errno') };
  return { kind };
}

function decodeErrno(r: Reader): ErrnoResult {
  r.oneOf('kind', ['errno'] as const);
  return { kind: 'errno', errno: r.str('errno') };
}

function decodeBlock(r: Reader): Block {
  const until = r.oneOf('until', ['time', 'signal', 'wake'] as const);
  if (until === 'time') return { until, ns: r.big('ns') };
  if (until === 'signal') return withOpt({ until }, 'mask', r.optStrs('mask'));
  return withOpt({ until, channel: r.str('channel') }, 'timeoutNs', r.optBig('timeoutNs'));
}

function decodeWake(r: Reader): Wake {
  return withOpt({ channel: r.str('channel') }, 'count', r.optInt('count'));
}

function decodeChild(r: Reader): ChildSpec {
  let c: ChildSpec = { program: r.str('program') };
  c = withOpt(c, 'comm', r.optStr('comm'));
  c = withOpt(c, 'label', r.optStr('label'));
  return withOpt(c, 'exitWake', r.optStr('exitWake'));
}

function decodeProcessRef(r: Reader): ProcessRef {
  const kind = r.oneOf('kind', ['self', 'child'] as const);
  return kind === 'self' ? { kind } : { kind, label: r.str('label') };
}

function decodeSignalTarget(r: Reader): SignalTarget {
  const kind = r.oneOf('kind', [
    'self',
    'thread-self',
    'parent',
    'child',
    'thread',
    'pgrp',
    'child-pgrp',
    'pid',
  ] as const);
  switch (kind) {
    case 'self':
    case 'thread-self':
    case 'parent':
    case 'pgrp':
      return { kind };
    case 'child':
    case 'thread':
    case 'child-pgrp':
      return { kind, label: r.str('label') };
    case 'pid':
      return { kind, pid: r.int('pid') };
  }
}

function decodeWaitTarget(r: Reader): WaitTarget {
  const kind = r.oneOf('kind', ['any', 'child', 'child-pgrp'] as const);
  return kind === 'any' ? { kind } : { kind, label: r.str('label') };
}
