/**
 * What the language knows about each event and each control-side call: payload fields, the resume actions a
 * handler may end with, and the statuses a call can return. Data only, so rules and codegen can read it too.
 */
import type { EventName, ResumeActionName } from '../parser/ast.js';
import { EVENT_NAMES, RESUME_ACTIONS } from '../parser/ast.js';
import type { ControlCall, StatusName, Type } from './types.js';
import { listOf, T } from './types.js';

/** The number of syscall arguments: `call.arg[0]` … `call.arg[5]`. */
export const SYSCALL_ARG_COUNT = 6;

const SYSCALL_COMMON: Readonly<Record<string, Type>> = {
  nr: T.syscall,
  arg: listOf(T.int),
};

/** The fields of each event's binding and their types. `undefined`: the event takes no binding. */
export const PAYLOAD_FIELDS: Readonly<Record<EventName, Readonly<Record<string, Type>> | undefined>> = {
  quiesce: { event: T.event },
  syscall_entry: { ...SYSCALL_COMMON, resumed: T.bool },
  syscall_exit: { ...SYSCALL_COMMON, ret: T.int },
  signal: { signo: T.signal, code: T.int },
  clone: { child: T.task, flags: T.int, vfork: T.bool, thread: T.bool },
  exec: { file: T.string },
  exit: { code: T.int },
  death: { group_dead: T.bool, signal: T.int },
  reap: undefined,
  jctl: { stopped: T.bool, notify: T.bool },
  attach: undefined,
  detach: undefined,
};

/** The events whose handlers run on the debugger side (the engine's own attach and release), not on the task. */
export const CONTROL_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['attach', 'detach']);

/** The utrace events an engine can subscribe to (what `events +x` accepts): every event but the control ones. */
export const UTRACE_EVENTS: readonly EventName[] = EVENT_NAMES.filter((e) => !CONTROL_EVENTS.has(e));

/** The resume actions a handler of the event may end with; `reap` returns nothing at all. */
export const LEGAL_ACTIONS: Readonly<Record<EventName, readonly ResumeActionName[]>> = {
  quiesce: RESUME_ACTIONS,
  syscall_entry: RESUME_ACTIONS,
  syscall_exit: RESUME_ACTIONS,
  signal: RESUME_ACTIONS,
  clone: RESUME_ACTIONS,
  exec: RESUME_ACTIONS,
  exit: RESUME_ACTIONS,
  death: ['resume', 'detach'],
  reap: [],
  jctl: RESUME_ACTIONS,
  attach: [],
  detach: [],
};

/** The statuses each control-side call can return (utrace_control, utrace_set_events, utrace_barrier, wait). */
export const CALL_STATUSES: Readonly<Record<ControlCall, readonly StatusName[]>> = {
  stop: ['stopped', 'pending', 'gone'],
  interrupt: ['done', 'gone'],
  report: ['done', 'gone'],
  singlestep: ['done', 'gone'],
  blockstep: ['done', 'gone'],
  resume: ['done', 'gone'],
  detach: ['done', 'pending', 'gone', 'already'],
  events: ['done', 'pending', 'gone', 'already'],
  barrier: ['done', 'gone'],
  await: ['stopped', 'timeout', 'gone'],
};

/** The name `q.event` compares with for the return-to-user quiesce pass, which reports no event. */
export const NO_EVENT = 'none';
