/**
 * The Linux backend's ptrace layer: real processes traced through ptrace from a dedicated tracer thread, as a typed
 * event stream plus commands. The runtime core's backend adapter is built on this; see README.md in this folder.
 */
export { Tracer } from './tracer.js';
export type {
  ResumeOptions,
  SignalInfo,
  SyscallSelection,
  TaskInfo,
  TraceHandler,
  TracerOptions,
  TraceSummary,
} from './tracer.js';
export type * from './events.js';
export { isStop } from './events.js';
export { TracerHandle } from './handle.js';
export type { LaunchInfo, LaunchOptions } from './handle.js';
export type { CreateSession, Session, SessionContext } from './session.js';
export type { SpawnSpec } from './spawn.js';
export { checkTrampoline, trampolinePath } from './spawn.js';
export { TraceError, explainAttachFailure, tracerPidOf } from './errors.js';
export type { TraceErrorCode } from './errors.js';
export { decodeExitStatus, decodeWaitStatus, shellExitCode, isStopSignal } from './wait-status.js';
export type { ExitStatus, WaitStatus } from './wait-status.js';
export { LINUX_AARCH64, LINUX_X86_64, hostArch, decodeRegisters, encodeRegisters } from './arch.js';
export type { LinuxArch, Registers } from './arch.js';
export { WAKE_SIGNAL } from './wakeup.js';
export { LinuxBackend } from './utrace-backend.js';
export { LinuxDebuggerHost } from './debugger-host.js';
export type { TimerSource } from './debugger-host.js';
export type { UtraceSessionOptions, UtraceSetup, UtraceSetupContext, UtraceSetupFunction } from './sessions/utrace.js';
