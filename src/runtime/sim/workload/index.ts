/** Workloads: the data model the simulator runs, a builder, built-in scenarios, a validator and the strace importer. */
export type * from './types.js';
export { WorkloadError } from './errors.js';
export {
  workload,
  process,
  ProcessChain,
  WorkloadBuilder,
  ProgramBuilder,
  str,
  strs,
  buf,
  struct,
  int,
  target,
  proc,
  children,
  us,
  ms,
  sec,
  FORK_FLAGS,
  VFORK_FLAGS,
  THREAD_FLAGS,
} from './builder.js';
export type { ArgLike, ChildOptions, Ns, ProgramBody, ProgramLike } from './builder.js';
export {
  BUILTIN_WORKLOADS,
  WORKLOAD_EVENTS,
  builtinWorkload,
  defaultWorkloadFor,
  listBuiltinWorkloads,
  workloadEvents,
  workloadSyscalls,
} from './builtin.js';
export type { BuiltinOptions, BuiltinWorkload, WorkloadEvent } from './builtin.js';
export { validateWorkload, assertValidWorkload, SEMANTIC_SYSCALLS } from './validate.js';
export type { WorkloadProblem } from './validate.js';
export { workloadToJson, workloadFromJson, decodeWorkload } from './json.js';
export { importStrace, formatStraceWarning } from './strace.js';
export { loadWorkloadText } from './load.js';
export type { LoadedWorkload } from './load.js';
export type { StraceImport, StraceOptions, StraceStats, StraceWarning } from './strace.js';
export { countSyscalls, opSyscallName } from './stats.js';
export { ERRNO, errnoName, errnoNumber } from '../../../arch/errno.js';
export { CONSTANTS, constantValue, evalFlags, signalNumber } from './constants.js';
