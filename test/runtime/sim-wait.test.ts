import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/runtime/sim/simulator.js';
import { children, ms, workload } from '../../src/runtime/sim/workload/index.js';

interface KernelRecord {
  kind: string;
  task: number;
  what: string;
  detail: string;
}

describe('wait4 in the simulator', () => {
  it('reaps a child whose SIGCHLD runs a handler, before the parent exits (do_wait checks children first)', () => {
    const w = workload('sigchld-wait', 'a parent with a SIGCHLD handler waits for its child')
      .process('parent', (p) => {
        p.handle('SIGCHLD', (h) => h.getpid());
        p.fork((c) => c.compute(ms(1)).exit(0), { label: 'kid' })
          .wait(children.child('kid'))
          .compute(ms(10))
          .exit(0);
      })
      .build();
    const sim = new Simulator(w, { seed: 1, keepLog: true });
    expect(sim.run({ maxTime: 10e9 }).reason).toBe('done');
    const kernel = sim.runtime.log.records.filter((r) => r.kind === 'kernel') as unknown as KernelRecord[];
    const parent = sim.initTask;
    const childReap = kernel.findIndex((k) => k.what === 'reap' && k.task !== parent);
    const parentExit = kernel.findIndex((k) => k.what === 'exit' && k.task === parent);
    expect(childReap).toBeGreaterThanOrEqual(0);
    expect(parentExit).toBeGreaterThan(childReap);
  });
});
