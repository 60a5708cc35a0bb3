/**
 * The simulator as a session backend: a workload run on virtual time with a seeded scheduler.
 */
import type { PolicyName } from '../runtime/index.js';
import { Simulator } from '../runtime/sim/index.js';
import type { Workload } from '../runtime/sim/workload/types.js';
import type { BackendOutcome, SessionBackend } from './backend.js';

/** Options of a simulated run. */
export interface SimBackendOptions {
  readonly seed?: number;
  readonly policy?: PolicyName;
  /** Keep the event log (for `--trace`); off by default, which makes the run faster. */
  readonly trace?: boolean;
  /** Virtual time limit in ns (default: the simulator's, 10 minutes). */
  readonly maxTime?: number;
}

/** Makes a session backend that runs `workload` on the simulator. */
export function simBackend(workload: Workload, options: SimBackendOptions = {}): SessionBackend {
  const sim = new Simulator(workload, {
    seed: options.seed ?? 1,
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
    // Without a trace nobody reads the log, and the runtime skips building records altogether.
    keepLog: options.trace === true,
  });
  const rt = sim.runtime;
  return {
    name: 'sim',
    runtime: rt,
    debugger: sim,
    initialTask: sim.initTask,
    tgid: (task) => sim.tgid(task),
    onEmit: (fn) => rt.onEmit(fn),
    faults: rt.faults,
    debuggerErrors: sim.debuggerErrors,
    run: async (): Promise<BackendOutcome> => {
      const r = sim.run(options.maxTime !== undefined ? { maxTime: options.maxTime } : {});
      const stuck = r.live.length > 0 ? r.live.join(', ') : '';
      switch (r.reason) {
        case 'done':
          return { reason: 'done', time: r.time };
        case 'deadlock':
          return {
            reason: 'deadlock',
            time: r.time,
            note: `the simulation ended with tasks that can never run again (${stuck}): an engine keeps them stopped; resume them with \`--control NAME@TIME\``,
          };
        default:
          return {
            reason: r.reason,
            time: r.time,
            note: `the simulation hit its ${r.reason === 'max-time' ? 'time' : 'step'} limit with tasks left (${stuck})`,
          };
      }
    },
  };
}
