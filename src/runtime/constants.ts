/**
 * The utrace numbers, with the values of the 20091216 API (`include/linux/utrace.h`): event bits, resume actions,
 * the event-specific bits OR'ed into callback arguments and return values, attach flags and result codes.
 * They are plain numbers so that an engine written against the C API reads the same here.
 */

/** Event bits, `UTRACE_EVENT(x)`: what an engine asks to be told about (`setEvents`). */
export const Event = {
  /** `UTRACE_EVENT(QUIESCE)`: the task is at a safe point (report_quiesce). */
  Quiesce: 0x0001,
  /** `UTRACE_EVENT(REAP)`: the zombie was reaped (report_reap). */
  Reap: 0x0002,
  /** `UTRACE_EVENT(CLONE)`: clone/fork/vfork succeeded (report_clone). */
  Clone: 0x0004,
  /** `UTRACE_EVENT(EXEC)`: execve succeeded (report_exec). */
  Exec: 0x0008,
  /** `UTRACE_EVENT(EXIT)`: the thread starts to exit (report_exit). */
  Exit: 0x0010,
  /** `UTRACE_EVENT(DEATH)`: the thread is dead (report_death). */
  Death: 0x0020,
  /** `UTRACE_EVENT(SYSCALL_ENTRY)` (report_syscall_entry). */
  SyscallEntry: 0x0040,
  /** `UTRACE_EVENT(SYSCALL_EXIT)` (report_syscall_exit). */
  SyscallExit: 0x0080,
  /** `UTRACE_EVENT(SIGNAL)`: a signal will run a handler (report_signal). */
  Signal: 0x0100,
  /** `UTRACE_EVENT(SIGNAL_IGN)`: a signal is a no-op. */
  SignalIgn: 0x0200,
  /** `UTRACE_EVENT(SIGNAL_STOP)`: a signal will stop the task. */
  SignalStop: 0x0400,
  /** `UTRACE_EVENT(SIGNAL_TERM)`: a signal will kill the task. */
  SignalTerm: 0x0800,
  /** `UTRACE_EVENT(SIGNAL_CORE)`: a signal will dump core. */
  SignalCore: 0x1000,
  /** `UTRACE_EVENT(JCTL)`: a job-control stop or continue happened (report_jctl). */
  Jctl: 0x2000,
} as const;

/** One event bit. */
export type EventBit = (typeof Event)[keyof typeof Event];

/** `UTRACE_EVENT_SIGNAL_ALL`. */
export const EVENT_SIGNAL_ALL = 0x1f00;
/** `UTRACE_EVENT_SYSCALL`. */
export const EVENT_SYSCALL = 0x00c0;
/** `_UTRACE_DEATH_EVENTS`: the events the dying thread reports itself (DEATH | QUIESCE). */
export const DEATH_EVENTS = 0x0021;
/** All event bits (`(1 << _UTRACE_NEVENTS) - 1`). */
export const ALL_EVENTS = 0x3fff;
/** `ENGINE_STOP`: the internal "this engine wants the task stopped" bit, kept in engine and task flags. */
export const ENGINE_STOP = 0x4000;

/** Resume actions (`enum utrace_resume_action`). Order matters: when engines disagree, the smaller value wins. */
export const Action = {
  /** `UTRACE_STOP`: stay quiescent after the callbacks. */
  Stop: 0,
  /** `UTRACE_INTERRUPT`: make a report_signal callback soon, interrupting a blocking system call. */
  Interrupt: 1,
  /** `UTRACE_REPORT`: make some callback soon. */
  Report: 2,
  /** `UTRACE_SINGLESTEP`: resume for one instruction. */
  SingleStep: 3,
  /** `UTRACE_BLOCKSTEP`: resume until the next branch. */
  BlockStep: 4,
  /** `UTRACE_RESUME`: resume normally. */
  Resume: 5,
  /** `UTRACE_DETACH`: detach this engine (implies RESUME). */
  Detach: 6,
} as const;

/** One resume action. */
export type ResumeAction = (typeof Action)[keyof typeof Action];

/** `UTRACE_RESUME_MAX`: the first invalid action. */
export const RESUME_MAX = 7;
/** `UTRACE_RESUME_MASK`: the resume-action bits of a callback's u32 argument or return value. */
export const RESUME_MASK = 0x7;

/** Signal actions, `enum utrace_signal_action`, OR'ed into report_signal's argument and return value. */
export const SignalAction = {
  /** `UTRACE_SIGNAL_DELIVER`: deliver according to `returnKa`. */
  Deliver: 0x00,
  /** `UTRACE_SIGNAL_IGN`: ignore the signal. */
  Ign: 0x10,
  /** `UTRACE_SIGNAL_TERM`: terminate the process. */
  Term: 0x20,
  /** `UTRACE_SIGNAL_CORE`: terminate with a core dump. */
  Core: 0x30,
  /** `UTRACE_SIGNAL_STOP`: absolute stop (as SIGSTOP). */
  Stop: 0x40,
  /** `UTRACE_SIGNAL_TSTP`: job-control stop (as SIGTSTP). */
  Tstp: 0x50,
  /** `UTRACE_SIGNAL_REPORT`: a report with no signal, before dequeuing. */
  Report: 0x60,
  /** `UTRACE_SIGNAL_HANDLER`: a report right after a handler's frame was set up. */
  Handler: 0x70,
} as const;

/** `UTRACE_SIGNAL_HOLD`: push the signal back on the queue. */
export const SIGNAL_HOLD = 0x100;
/** The signal-action bits (`utrace_signal_action(x)`). */
export const SIGNAL_ACTION_MASK = 0xf0;

/** Syscall actions, `enum utrace_syscall_action`, OR'ed into report_syscall_entry's argument and return value. */
export const SyscallAction = {
  /** `UTRACE_SYSCALL_RUN`: run the system call. */
  Run: 0x00,
  /** `UTRACE_SYSCALL_ABORT`: skip it (the return register keeps what it holds, normally -ENOSYS). */
  Abort: 0x10,
} as const;

/** `UTRACE_SYSCALL_RESUMED`: in report_syscall_entry's argument, this is a repeat call after a stop. */
export const SYSCALL_RESUMED = 0x100;
/** The syscall-action bits (`utrace_syscall_action(x)`). */
export const SYSCALL_ACTION_MASK = 0xf0;

/** Attach flags (`UTRACE_ATTACH_*`). */
export const AttachFlags = {
  /** `UTRACE_ATTACH_MATCH_OPS`: match engines with the same ops. */
  MatchOps: 0x0001,
  /** `UTRACE_ATTACH_MATCH_DATA`: match engines with the same data. */
  MatchData: 0x0002,
  /** `UTRACE_ATTACH_CREATE`: attach a new engine (otherwise look one up). */
  Create: 0x0010,
  /** `UTRACE_ATTACH_EXCLUSIVE`: with CREATE, fail with EEXIST when a matching engine exists. */
  Exclusive: 0x0020,
  /** `UTRACE_ATTACH_ATOMIC` (some trees): "for CREATE, don't sleep"; accepted and without effect here. */
  Atomic: 0x0040,
} as const;

/** `UTRACE_ATTACH_MATCH_MASK`. */
export const ATTACH_MATCH_MASK = 0x000f;

/** Result codes: 0 or a negated Linux errno (x86 values), as the C API returns them. */
export const Result = {
  Ok: 0,
  ENOENT: -2,
  ESRCH: -3,
  EINTR: -4,
  EAGAIN: -11,
  ENOMEM: -12,
  EPERM: -1,
  EEXIST: -17,
  EINVAL: -22,
  EOPNOTSUPP: -95,
  ETIMEDOUT: -110,
  EALREADY: -114,
  EINPROGRESS: -115,
  ERESTARTSYS: -512,
} as const;

/** A result code: 0, or one of the negated errnos of `Result`. */
export type ResultCode = (typeof Result)[keyof typeof Result];

/** `CLD_STOPPED`, the `type` of a report_jctl for a stop. */
export const CLD_STOPPED = 5;
/** `CLD_CONTINUED`, the `type` of a report_jctl for a continue. */
export const CLD_CONTINUED = 6;

/** Clone flags the runtime looks at (`<linux/sched.h>` values). */
export const CloneFlags = {
  CLONE_VM: 0x100n,
  CLONE_FS: 0x200n,
  CLONE_FILES: 0x400n,
  CLONE_SIGHAND: 0x800n,
  CLONE_PTRACE: 0x2000n,
  CLONE_VFORK: 0x4000n,
  CLONE_PARENT: 0x8000n,
  CLONE_THREAD: 0x10000n,
} as const;

/** `utrace_resume_action(x)`: the resume action of a callback's return value. */
export function resumeAction(x: number): ResumeAction {
  return (x & RESUME_MASK) as ResumeAction;
}

/** `utrace_signal_action(x)`. */
export function signalAction(x: number): number {
  return x & SIGNAL_ACTION_MASK;
}

/** `utrace_syscall_action(x)`. */
export function syscallAction(x: number): number {
  return x & SYSCALL_ACTION_MASK;
}

const ACTION_NAMES = ['STOP', 'INTERRUPT', 'REPORT', 'SINGLESTEP', 'BLOCKSTEP', 'RESUME', 'DETACH'] as const;
const EVENT_NAMES = [
  'QUIESCE',
  'REAP',
  'CLONE',
  'EXEC',
  'EXIT',
  'DEATH',
  'SYSCALL_ENTRY',
  'SYSCALL_EXIT',
  'SIGNAL',
  'SIGNAL_IGN',
  'SIGNAL_STOP',
  'SIGNAL_TERM',
  'SIGNAL_CORE',
  'JCTL',
] as const;
const SIGNAL_ACTION_NAMES = ['DELIVER', 'IGN', 'TERM', 'CORE', 'STOP', 'TSTP', 'REPORT', 'HANDLER'] as const;

/** The utrace name of a resume action (`STOP`, `RESUME`, …). */
export function actionName(a: number): string {
  return ACTION_NAMES[a] ?? `ACTION_${a}`;
}

/** The utrace names of the bits of an event mask, joined with `|` (`0` for none). */
export function eventNames(mask: number): string {
  const names: string[] = [];
  for (let i = 0; i < EVENT_NAMES.length; i++) if (mask & (1 << i)) names.push(EVENT_NAMES[i] as string);
  if (mask & ENGINE_STOP) names.push('ENGINE_STOP');
  return names.length === 0 ? '0' : names.join('|');
}

/** The name of a result code (`0`, `-EINPROGRESS`, …). */
export function resultName(r: number): string {
  if (r === 0) return '0';
  for (const [name, value] of Object.entries(Result)) if (value === r) return `-${name}`;
  return String(r);
}

/** A readable form of a callback's u32 return value or action argument: `STOP|IGN|HOLD`, `RESUME|ABORT`. */
export function returnName(x: number, kind: 'plain' | 'signal' | 'syscall'): string {
  let s = actionName(x & RESUME_MASK);
  if (kind === 'signal') {
    s += `|${SIGNAL_ACTION_NAMES[(x & SIGNAL_ACTION_MASK) >> 4] ?? '?'}`;
    if (x & SIGNAL_HOLD) s += '|HOLD';
  } else if (kind === 'syscall') {
    if ((x & SYSCALL_ACTION_MASK) === SyscallAction.Abort) s += '|ABORT';
    if (x & SYSCALL_RESUMED) s += '|RESUMED';
  } else if (x & ~RESUME_MASK) {
    s += `|0x${(x & ~RESUME_MASK).toString(16)}`;
  }
  return s;
}
