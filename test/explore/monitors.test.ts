/**
 * The explorer's monitors beyond races.md, and the workload choice, on small engines: each monitor fires on the
 * engine that has its symptom and stays quiet on the engine a careful author would write instead (the racy examples
 * and the symptom fixtures are covered by examples.test.ts and symptoms.test.ts; these are the edge cases).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/checker/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { runOnce } from '../../src/explore/harness.js';
import type { InvariantName } from '../../src/explore/monitors.js';
import { search } from '../../src/explore/search.js';
import { defaultExploreWorkload, workloadFor } from '../../src/explore/workloads.js';
import { parse } from '../../src/parser/index.js';
import { targetOf } from './helpers.js';

/** The invariants broken on any schedule within bound 1, under classic. */
async function broken(name: string, body: string, workload?: string): Promise<InvariantName[]> {
  const { target } = await targetOf(`${name}.utr`, `arch x86_64\n\n${body}\n`, workload);
  const r = await search(target, { semantics: 'classic', bound: 1, budgetMs: 10_000, all: true });
  return r.findings.map((f) => f.violation.invariant);
}

/** The violations of the default schedule. */
async function once(name: string, body: string, workload?: string): Promise<string[]> {
  const { target } = await targetOf(`${name}.utr`, `arch x86_64\n\n${body}\n`, workload);
  const r = await runOnce(target, { semantics: 'classic', choices: [] });
  return r.violations.map((v) => `${v.invariant}: ${v.message}`);
}

describe('lost-step', () => {
  const tracer = (quiesce: string): string => `engine tracer {
  state tracing: bool = false
  state parked: bool = false
  on syscall_entry(call) when not parked do set parked = true then stop
  on syscall_exit(call) do report
  on signal(sig) when sig.signo == SIGTRAP do set tracing = false then fate ignore then resume
  ${quiesce}
  control trace do
    stop match {
      stopped => set tracing = true then singlestep
      pending => nothing
      gone    => nothing
    }
}`;

  it('names the engine, the step and the handler whose `resume` drops it', async () => {
    const v = await once('drop', tracer('on quiesce do resume'));
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(
      /^lost-step: `tracer`'s debugger side gets `done` for `singlestep` \(record \d+\), then its `on quiesce` answers `resume` \(record \d+\): task 100 runs on without a step trap$/,
    );
  });

  it('is quiet when the quiesce handler restates the step, or decides to stop stepping (it changes state)', async () => {
    expect(await once('keep', tracer('on quiesce when tracing do singlestep\n  on quiesce do resume'))).toEqual([]);
    expect(
      await once(
        'decide',
        tracer('on quiesce when tracing do set tracing = false then resume\n  on quiesce do resume'),
      ),
    ).toEqual([]);
  });
});

describe('report-never-comes', () => {
  const watchdog = (extra: string): string => `engine watchdog {
  state exits: count
  on syscall_exit(call) do exits += 1 then resume
  ${extra}
  every 1s do interrupt match {
    done => nothing
    gone => nothing
  }
}`;

  it('fires when no quiesce handler subscribes the engine to the report `interrupt` asks for', async () => {
    expect(await broken('deaf', watchdog(''), 'blocked-read')).toEqual(['report-never-comes']);
    // A signal handler alone does not: the signal-path report goes to engines that hear quiesce reports.
    expect(await broken('signal', watchdog('on signal(sig) do resume'), 'blocked-read')).toEqual([
      'report-never-comes',
    ]);
  });

  it('is quiet with a quiesce handler, alone or beside a signal handler (which then gets the report)', async () => {
    expect(await broken('quiesce', watchdog('on quiesce do resume'), 'blocked-read')).toEqual([]);
    expect(await broken('both', watchdog('on quiesce do resume\n  on signal(sig) do resume'), 'blocked-read')).toEqual(
      [],
    );
  });
});

describe('abort-overridden', () => {
  it('is quiet when the aborting engine is the only one, or its own quiesce runs first in the pass', async () => {
    const jail = `engine jail {
  on quiesce do resume
  on syscall_entry(call) when call.nr == execve do abort then resume
}`;
    expect(await once('alone', jail)).toEqual([]);
  });

  it('fires when another engine attached earlier answers last in the pass', async () => {
    const v = await once(
      'split',
      `engine audit {
  on quiesce do resume
}

engine jail {
  on syscall_entry(call) when call.nr == execve do abort then resume
}`,
    );
    expect(v).toEqual([
      expect.stringMatching(
        /^abort-overridden: `jail` answers `abort` to `execve` at syscall entry \(record \d+\), but `audit`'s `on quiesce` answers last in the pass without `abort`: the call runs$/,
      ),
    ]);
  });
});

describe('missed-events', () => {
  it('is quiet for an engine attached in the clone report (follow_fork)', async () => {
    const text = readFileSync('examples/follow_fork.utr', 'utf8');
    const { target } = await targetOf('examples/follow_fork.utr', text, 'fork-exec');
    const r = await search(target, { semantics: 'classic', bound: 1, budgetMs: 10_000, all: true });
    expect(r.findings).toEqual([]);
  });

  it('is quiet for a late attach whose engine subscribes to nothing the child already did', async () => {
    const late = `engine parent {
  state child: task
  state have_child: bool = false
  on clone(c) do set child = c.child then set have_child = true then resume
  control follow do if have_child { attach watcher to child } else { nothing }
}

engine watcher {
  state deaths: count
  on death do deaths += 1 then detach
}`;
    expect(await broken('late', late, 'fork-exec')).toEqual([]);
  });
});

describe('report-lost-after-detach', () => {
  it('is quiet for an engine that detaches at death and has no reap handler', async () => {
    const v = await once(
      'tidy',
      `engine tidy {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  on death do emit table(calls) then detach
}`,
    );
    expect(v).toEqual([]);
  });

  it('fires for a detach at exit while subscribed to death', async () => {
    const v = await once(
      'early',
      `engine early {
  state calls: map<syscall, count>
  on syscall_entry(call) do calls[call.nr] += 1 then resume
  on exit(e) do detach
  on death do emit table(calls) then detach
}`,
    );
    expect(v).toEqual([
      expect.stringMatching(
        /^report-lost-after-detach: `early` detaches in `on exit` \(record \d+\) while subscribed to death reports/,
      ),
    ]);
  });
});

describe('lost-stop and the code that asked for the stop', () => {
  const stepper = (pending: string): string => `engine stepper {
  state held: bool = false
  on signal(sig) do set held = true then fate ignore then stop
  on quiesce when held do stop
  on quiesce do resume
  control poke do
    stop match {
      stopped => set held = false then resume
      pending => ${pending}
      gone    => nothing
    }
}`;

  it('a stop given up at once and cancelled by the engine own callback is lost', async () => {
    expect(await broken('giveup', stepper('nothing'))).toContain('lost-stop');
  });

  it('a stop waited for with a time limit is not: the `timeout` arm is the plan for it not coming', async () => {
    const waits = stepper(`await stopped within 1s match {
        stopped => set held = false then resume
        timeout => nothing
        gone    => nothing
      }`);
    expect(await broken('waits', waits, 'tiny')).not.toContain('lost-stop');
  });
});

describe('wait-never-ends', () => {
  // Each invocation of `pause` on a task blocked in `read` for good: the wait cannot be served, and the rescue
  // round's second wait would run past the run's own time limit (2 s) before its 1 s limit.
  const pauser = (wait: string): string => `engine pauser {
  state want_stop: bool = false
  on quiesce when want_stop do stop
  on quiesce do resume
  control pause do
    set want_stop = true
    then stop match {
      stopped => nothing
      pending => ${wait} match {
        stopped => nothing
        timeout => emit "the task did not stop"
        gone    => nothing
      }
      gone    => nothing
    }
}`;

  it('fires for a wait with no time limit on a task that never reaches a report point', async () => {
    const bare = pauser('await stopped').replace('        timeout => emit "the task did not stop"\n', '');
    expect(await once('bare', bare, 'blocked-read')).toContainEqual(
      expect.stringMatching(/^wait-never-ends: `pauser: control pause/),
    );
  });

  it('is quiet for a wait with a time limit, even when the run ends before the limit', async () => {
    expect(await broken('bounded', pauser('await stopped within 1s'), 'blocked-read')).not.toContain('wait-never-ends');
  });
});

describe('workload choice', () => {
  const chosen = (path: string): string => {
    const source = new SourceFile(path, readFileSync(path, 'utf8'));
    return workloadFor(check(parse(source), { source }));
  };

  it('picks the world each racy example needs, from the checked program', () => {
    expect(chosen('examples/racy/utr3010-stop-does-not-interrupt.utr')).toBe('blocked-read');
    expect(chosen('examples/racy/utr3014-attach-child-outside-clone.utr')).toBe('fork-exec');
    expect(chosen('examples/racy/utr3008-unhandled-gone.utr')).toBe('killed-while-parked');
    expect(chosen('examples/racy/utr3003-async-resume-vs-callback-stop.utr')).toBe('tiny');
    expect(chosen('examples/ptrace_like.utr')).toBe('blocked-read');
    expect(chosen('examples/follow_fork.utr')).toBe('fork-exec');
  });

  it('reads code, not comments: `await stopped` in a comment chooses nothing', () => {
    const text = '# a control would `await stopped` here\narch x86_64\nengine e {\n  on quiesce do resume\n}\n';
    expect(defaultExploreWorkload(text)).toBe('tiny');
  });
});
