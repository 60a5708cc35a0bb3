// Runtime speed: callbacks per second through the utrace core and the simulator with 1, 4 and 16 engines, next to a
// plain loop calling the same handler functions directly, in the same run. Also: the cost per syscall when 16
// engines are attached but only one is interested (dispatch must scale with interested engines, not attached ones).
import { performance } from 'node:perf_hooks';
import { Action, AttachFlags, Event } from '../dist/runtime/index.js';
import { FirstScheduler, Simulator } from '../dist/runtime/sim/index.js';
import { workload } from '../dist/runtime/sim/workload/builder.js';
import { median } from './lib/stats.mjs';

const SYSCALLS = 20_000;

/** A trivial engine: counts, returns RESUME. One object per engine, as a hand-written engine would be. */
function trivial() {
  const state = { n: 0 };
  return {
    state,
    ops: {
      reportSyscallEntry() {
        state.n++;
        return Action.Resume;
      },
      reportSyscallExit() {
        state.n++;
        return Action.Resume;
      },
    },
  };
}

function busy(n) {
  return workload('bench', 'n getpid calls')
    .process('bench', (p) => p.repeat(n, (b) => b.syscall('getpid').auto()))
    .build();
}

function setup(engines, interested = engines, n = SYSCALLS) {
  const sim = new Simulator(busy(n), { scheduler: new FirstScheduler(), keepLog: false });
  const rt = sim.runtime;
  const all = [];
  for (let i = 0; i < engines; i++) {
    const t = trivial();
    const e = rt.attach(sim.initTask, AttachFlags.Create, t.ops, null, `e${i}`);
    rt.setEvents(e, i < interested ? Event.SyscallEntry | Event.SyscallExit : Event.Exec);
    all.push(t);
  }
  return { sim, rt, engines: all };
}

function drain(gen) {
  let r = gen.next();
  while (!r.done) r = gen.next();
  return r.value;
}

/** Core dispatch only: the syscall entry and exit report points driven directly, as a backend does. */
function coreDispatch(engines, interested) {
  const { sim, rt, engines: es } = setup(engines, interested);
  const tid = sim.initTask;
  rt.setCurrent(tid);
  rt.preempt = false;
  const t0 = performance.now();
  for (let i = 0; i < SYSCALLS; i++) {
    // The plain-call forms a backend uses when nothing can preempt the pass (the simulator does the same).
    const abort = rt.syscallEntryFast(tid);
    if (abort === undefined || abort === null) drain(rt.syscallEntry(tid, abort === null));
    if (!rt.syscallExitFast(tid)) drain(rt.syscallExit(tid));
  }
  const ms = performance.now() - t0;
  const callbacks = es.reduce((a, e) => a + e.state.n, 0);
  return { ms, callbacks };
}

/** The whole simulator: the workload's syscalls, with the registers, the return-to-user path and the scheduler. */
function fullSim(engines, interested) {
  const { sim, engines: es } = setup(engines, interested);
  const t0 = performance.now();
  sim.run();
  const ms = performance.now() - t0;
  return { ms, callbacks: es.reduce((a, e) => a + e.state.n, 0) };
}

/** The same handler functions called directly in a plain loop: the floor. */
function direct(engines) {
  const es = Array.from({ length: engines }, () => trivial());
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < SYSCALLS; i++) {
    for (let k = es.length - 1; k >= 0; k--) sink += es[k].ops.reportSyscallEntry(null, Action.Resume);
    for (let k = 0; k < es.length; k++) sink += es[k].ops.reportSyscallExit(null, Action.Resume);
  }
  const ms = performance.now() - t0;
  if (sink === -1) console.log(sink);
  return { ms, callbacks: es.reduce((a, e) => a + e.state.n, 0) };
}

function measure(runs, fn) {
  fn(); // warm up
  const times = [];
  let callbacks = 0;
  for (let i = 0; i < runs; i++) {
    const r = fn();
    times.push(r.ms);
    callbacks = r.callbacks;
  }
  const ms = median(times);
  return { ms, callbacks, perSec: (callbacks / ms) * 1000, nsPer: (ms * 1e6) / callbacks };
}

export default {
  name: 'runtime',
  async run({ runs }) {
    // Warm every code path up first, so the JIT state is the same for every figure.
    for (let i = 0; i < 3; i++)
      for (const k of [1, 4, 16]) {
        direct(k);
        coreDispatch(k, k);
        coreDispatch(k, 1);
        fullSim(k, k);
      }
    const rows = [];
    for (const k of [1, 4, 16]) {
      const d = measure(runs, () => direct(k));
      const c = measure(runs, () => coreDispatch(k, k));
      const f = measure(runs, () => fullSim(k, k));
      rows.push({
        measurement: `direct calls, ${k} engine(s)`,
        value: d.perSec,
        unit: 'callbacks/s',
        detail: `${d.nsPer.toFixed(1)} ns/callback`,
      });
      rows.push({
        measurement: `core dispatch, ${k} engine(s)`,
        value: c.perSec,
        unit: 'callbacks/s',
        detail: `${c.nsPer.toFixed(1)} ns/callback, ${(c.nsPer / d.nsPer).toFixed(1)}x direct`,
      });
      rows.push({
        measurement: `simulator, ${k} engine(s)`,
        value: f.perSec,
        unit: 'callbacks/s',
        detail: `${f.nsPer.toFixed(1)} ns/callback, ${(f.nsPer / d.nsPer).toFixed(1)}x direct`,
      });
    }
    const one = measure(runs, () => coreDispatch(1, 1));
    const sixteenOne = measure(runs, () => coreDispatch(16, 1));
    const perSyscall = (m) => (m.ms * 1e6) / SYSCALLS;
    rows.push({
      measurement: 'core, 1 attached / 1 interested',
      value: perSyscall(one),
      unit: 'ns/syscall',
    });
    rows.push({
      measurement: 'core, 16 attached / 1 interested',
      value: perSyscall(sixteenOne),
      unit: 'ns/syscall',
      detail: `${(perSyscall(sixteenOne) / perSyscall(one)).toFixed(2)}x the 1-engine cost`,
    });
    return rows;
  },
};
