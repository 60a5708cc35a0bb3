/**
 * The utrc runtime: the utrace engine API on a backend (the deterministic simulator now, Linux ptrace next).
 * Engines (hand-written or generated) import everything from here. See `docs/runtime-api.md` for the mapping of
 * every name to its utrace name.
 */
export * from './constants.js';
export type {
  AnyEngine,
  CallbackContext,
  Control,
  DebuggerHost,
  Engine,
  EngineOps,
  Examination,
  Runtime,
  SpawnOptions,
  TaskAccess,
} from './engine.js';
export type {
  Coroutine,
  ExecInfo,
  Point,
  PreemptPoint,
  CallbackPoint,
  BlockedPoint,
  SleepPoint,
  WaitPoint,
  SigAction,
  SigHandlerKind,
  SigInfo,
  TaskId,
} from './types.js';
export type { Backend, DequeuedSignal, ReportPoints, RunState, SignalDecision, StepMode } from './backend.js';
export { EventLog, formatRecord, recordToJson } from './log.js';
export type { EmitValue, LogRecord, UnstampedRecord } from './log.js';
export { POLICY_NAMES, isPolicyName } from './policy.js';
export type { PolicyName } from './policy.js';
export { Utrace } from './core/utrace.js';
export type { EngineFault, Output, UtraceOptions } from './core/utrace.js';
export { ControlImpl } from './core/control.js';
export * from './lib/index.js';
