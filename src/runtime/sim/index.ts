/** The deterministic simulator: a `Backend` that runs workloads on virtual time with pluggable scheduling. */
export { Simulator } from './simulator.js';
export type { RunLimits, RunResult, SimOptions } from './simulator.js';
export {
  FirstScheduler,
  RandomScheduler,
  RecordingScheduler,
  ReplayScheduler,
  ScriptedScheduler,
} from './scheduler.js';
export type { Choice, Runnable, Scheduler } from './scheduler.js';
export { Prng } from './prng.js';
