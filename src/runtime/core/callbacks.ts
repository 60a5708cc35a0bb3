/**
 * The utrace callback that reports each event, by the event's `.utr` name: the one table of callback names, as the
 * event log shows them. The runtime owns it; the explorer reads it to map a log record back to a handler.
 */

/** Event name → callback name (`syscall_entry` → `report_syscall_entry`). */
export const CALLBACK_OF_EVENT = {
  quiesce: 'report_quiesce',
  syscall_entry: 'report_syscall_entry',
  syscall_exit: 'report_syscall_exit',
  signal: 'report_signal',
  clone: 'report_clone',
  exec: 'report_exec',
  exit: 'report_exit',
  death: 'report_death',
  reap: 'report_reap',
  jctl: 'report_jctl',
} as const;

/** An event that a utrace callback reports. */
export type CallbackEvent = keyof typeof CALLBACK_OF_EVENT;

/** The name of a utrace callback. */
export type CallbackName = (typeof CALLBACK_OF_EVENT)[CallbackEvent];

/** The callback that reports `event`, or undefined for an event no callback reports (`attach`, `detach`). */
export function callbackOf(event: string): CallbackName | undefined {
  return Object.hasOwn(CALLBACK_OF_EVENT, event) ? CALLBACK_OF_EVENT[event as CallbackEvent] : undefined;
}
