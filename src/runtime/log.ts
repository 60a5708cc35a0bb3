/**
 * The event log: one structured record per report pass, callback, return value, control call and result, stop and
 * wake, attach and detach, output record and simulated kernel event, stamped with time and a sequence number.
 * It is the trace the explorer prints and the `--trace` of `utrc run`. Records are plain JSON-able objects
 * (bigints become decimal strings in `formatRecord`).
 */

/** A value an engine emits. */
export type EmitValue =
  string | number | bigint | boolean | null | readonly EmitValue[] | { readonly [key: string]: EmitValue };

/** Fields every record has. */
interface Base {
  /** Position in the log, from 0. */
  seq: number;
  /** Runtime time in nanoseconds. */
  time: number;
}

/** The policy switch in force (always the first record). */
export interface PolicyRecord extends Base {
  kind: 'policy';
  policy: string;
  backend: string;
}
/** A report pass starts on a task (`event` is the utrace event name, e.g. `SYSCALL_ENTRY`, `QUIESCE` for the
 * return-to-user pass, `SIGNAL` for a signal pass). */
export interface ReportRecord extends Base {
  kind: 'report';
  task: number;
  event: string;
  /** Extra facts: the syscall number, the signal, `resumed`. */
  detail?: string;
}
/** A callback starts. `action` is its action argument, formatted (`RESUME`, `STOP|IGN`). */
export interface CallbackRecord extends Base {
  kind: 'callback';
  task: number;
  engine: number;
  callback: string;
  action: string;
}
/** A callback returned (its value is applied right after, unless the engine was detached meanwhile). */
export interface ReturnRecord extends Base {
  kind: 'return';
  task: number;
  engine: number;
  callback: string;
  value: number;
  name: string;
}
/** A runtime call and its result: `attach`, `setEvents`, `control`, `barrier`, `prepareExamine`, `finishExamine`. */
export interface CallRecord extends Base {
  kind: 'call';
  /** Who called: `task 12` (from a callback on that task) or `debugger NAME`. */
  caller: string;
  op: string;
  engine: number;
  task: number;
  arg: string;
  result: number;
  resultName: string;
}
/** A task blocked in `utrace_stop` (reason `utrace`), or in a job-control stop (`jctl`). */
export interface StopRecord extends Base {
  kind: 'stop';
  task: number;
  reason: string;
}
/** A stopped task woke up (`by`: `reset`, `SIGKILL`, `SIGCONT`, …). */
export interface WakeRecord extends Base {
  kind: 'wake';
  task: number;
  by: string;
}
/** An engine was attached (put on the `attaching` list). */
export interface AttachRecord extends Base {
  kind: 'attach';
  task: number;
  engine: number;
  name: string;
}
/** An engine was fully detached (ops NULL, off the list): `how` is `reset` (after a DETACH) or `reap`. */
export interface DetachRecord extends Base {
  kind: 'detach';
  task: number;
  engine: number;
  how: string;
}
/** An output record of an engine. */
export interface EmitRecord extends Base {
  kind: 'emit';
  task: number;
  engine: number;
  engineName: string;
  value: EmitValue;
}
/** A simulated (or observed) kernel event: a syscall, a signal sent or delivered, clone, exec, exit, reap. */
export interface KernelRecord extends Base {
  kind: 'kernel';
  task: number;
  what: string;
  detail: string;
}
/** Debugger-side code started, finished, or failed. */
export interface DebuggerRecord extends Base {
  kind: 'debugger';
  name: string;
  what: string;
}

/** One log record. */
export type LogRecord =
  | PolicyRecord
  | ReportRecord
  | CallbackRecord
  | ReturnRecord
  | CallRecord
  | StopRecord
  | WakeRecord
  | AttachRecord
  | DetachRecord
  | EmitRecord
  | KernelRecord
  | DebuggerRecord;

/** A record before the log stamps it. */
export type UnstampedRecord = LogRecord extends infer R
  ? R extends LogRecord
    ? Omit<R, 'seq' | 'time'>
    : never
  : never;

/**
 * The log. `enabled` is false when nobody listens and nothing is kept, so the runtime skips building records
 * (the hot report path tests it first).
 */
export class EventLog {
  /** Kept records (when constructed with `keep`). */
  readonly records: LogRecord[] = [];
  private readonly listeners: Array<(r: LogRecord) => void> = [];
  private seq = 0;
  /** True when records are kept or listened to. */
  enabled: boolean;

  constructor(
    private readonly clock: () => number,
    private readonly keep = true,
  ) {
    this.enabled = keep;
  }

  /** Call `fn` for every record from now on. */
  listen(fn: (r: LogRecord) => void): void {
    this.listeners.push(fn);
    this.enabled = true;
  }

  /** Stamp and deliver a record. */
  add(r: UnstampedRecord): void {
    const rec = { seq: this.seq++, time: this.clock(), ...r } as LogRecord;
    if (this.keep) this.records.push(rec);
    for (const l of this.listeners) l(rec);
  }
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One record as a JSON line (bigints as decimal strings). */
export function recordToJson(r: LogRecord): string {
  return JSON.stringify(r, jsonReplacer);
}

/** One record as a human-readable line: `[   1.200us] task 2 callback e1 report_quiesce(RESUME)`. */
export function formatRecord(r: LogRecord): string {
  const t = `[${(r.time / 1000).toFixed(3).padStart(10)}us]`;
  switch (r.kind) {
    case 'policy':
      return `${t} policy ${r.policy} backend ${r.backend}`;
    case 'report':
      return `${t} task ${r.task} report ${r.event}${r.detail ? ` ${r.detail}` : ''}`;
    case 'callback':
      return `${t} task ${r.task} e${r.engine} ${r.callback}(${r.action})`;
    case 'return':
      return `${t} task ${r.task} e${r.engine} ${r.callback} -> ${r.name}`;
    case 'call':
      return `${t} ${r.caller}: ${r.op}(e${r.engine}@${r.task}${r.arg ? `, ${r.arg}` : ''}) = ${r.resultName}`;
    case 'stop':
      return `${t} task ${r.task} stop (${r.reason})`;
    case 'wake':
      return `${t} task ${r.task} wake (${r.by})`;
    case 'attach':
      return `${t} task ${r.task} attach e${r.engine} ${r.name}`;
    case 'detach':
      return `${t} task ${r.task} detached e${r.engine} (${r.how})`;
    case 'emit':
      return `${t} task ${r.task} e${r.engine} emit ${typeof r.value === 'string' ? r.value : JSON.stringify(r.value, jsonReplacer)}`;
    case 'kernel':
      return `${t} task ${r.task} ${r.what}${r.detail ? ` ${r.detail}` : ''}`;
    case 'debugger':
      return `${t} debugger ${r.name} ${r.what}`;
  }
}
