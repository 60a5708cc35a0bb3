/** The shared engine model: handler chains with their conditions on boolean state, control paths, the path cap. */
import { describe, expect, test } from 'vitest';
import { buildFileModel } from '../../../src/checker/analysis/model.js';
import { MAX_PATHS, type PathEvent } from '../../../src/checker/analysis/paths.js';
import { lint } from '../rules/support.js';

function model(text: string) {
  const r = lint(text);
  expect(r.frontEnd.filter((d) => d.severity === 'error')).toEqual([]);
  return buildFileModel(r.checked).engines[0]!;
}

describe('handler chains', () => {
  test('each handler runs when its guard holds and no earlier one did; the default covers the rest', () => {
    const e = model(`engine e {
  state a: bool = false
  state b: bool = false
  on quiesce when a do stop
  on quiesce when b and not a do singlestep
}`);
    const q = e.handlerPaths
      .get('quiesce')!
      .map((hp) => [hp.final?.action, Object.fromEntries(hp.path.assume), hp.handler !== undefined]);
    expect(q).toEqual([
      ['stop', { a: true }, true],
      ['singlestep', { a: false, b: true }, true],
      ['resume', { a: false, b: false }, false],
    ]);
  });

  test('an opaque guard (a payload test) constrains nothing either way', () => {
    const e = model(`engine e {
  state a: bool = false
  on quiesce(q) when q.event == none and a do stop
  on quiesce do resume
}`);
    const q = e.handlerPaths.get('quiesce')!.map((hp) => [hp.final?.action, Object.fromEntries(hp.path.assume)]);
    expect(q).toEqual([
      ['stop', { a: true }],
      ['resume', {}],
    ]);
  });

  test('writes decide later conditions on the same path', () => {
    const e = model(`engine e {
  state a: bool = false
  on exec(x) do set a = false then if a { stop } else { resume }
}`);
    expect(e.handlerPaths.get('exec')!.map((hp) => hp.final?.action)).toEqual(['resume']);
  });
});

describe('control paths', () => {
  test('a result match splits the path by status, and only a `stopped` arm knows the task is stopped', () => {
    const e = model(`engine e {
  control c do stop match { stopped => resume  pending => nothing  gone => nothing }
  on quiesce do resume
}`);
    const paths = e.controls[0]!.paths.map((p) =>
      p.trace.flatMap((ev) => (ev.kind === 'call' ? [`${ev.call}:${ev.statuses.join('|')}:${ev.stoppedBefore}`] : [])),
    );
    expect(paths).toEqual([
      ['stop:stopped:false', 'resume:done|gone:true'],
      ['stop:pending:false'],
      ['stop:gone:false'],
    ]);
  });

  test('a body with more paths than the cap is cut short and says so', () => {
    const n = 12;
    const states = Array.from({ length: n }, (_, i) => `  state f${i}: bool = false\n`).join('');
    const ifs = Array.from({ length: n }, (_, i) => `if f${i} { set f${i} = false } else { nothing }`).join(' then ');
    const e = model(`engine e {\n${states}  control go do ${ifs}\n  on quiesce do resume\n}`);
    expect(e.truncated).toBe(true);
    expect(e.controls[0]!.paths.length).toBeLessThanOrEqual(MAX_PATHS);
  });
});

describe('paths that split', () => {
  // The walker extends a path in place and copies it only where it splits: what one branch does must never show on
  // another, nor on the paths of another body that tested the same flag.
  const e = model(`engine e {
  state g: bool = false
  state f: bool = false
  state n: count
  control a do
    set g = true
    then n += 1
    then stop match {
      stopped => set g = false then resume
      pending => nothing
      gone => nothing
    }
  control b do if f { set f = false } else { nothing }
  control c do if f { nothing } else { set f = true }
  on quiesce when g do stop
  on quiesce do resume
}`);
  const body = (name: string) => e.controls.find((c) => c.label === `control \`${name}\``)!;
  const trace = (p: { trace: readonly PathEvent[] }) =>
    p.trace.map((ev) =>
      ev.kind === 'call' ? `${ev.call}:${ev.statuses.join('|')}` : ev.kind === 'write' ? `set ${ev.state}` : ev.kind,
    );

  test('each arm of a result match goes on from the same prefix with its own events and values', () => {
    const paths = body('a').paths;
    expect(paths.map(trace)).toEqual([
      ['set g', 'read', 'set n', 'stop:stopped', 'set g', 'resume:done|gone'],
      ['set g', 'read', 'set n', 'stop:pending'],
      ['set g', 'read', 'set n', 'stop:gone'],
    ]);
    // Only boolean state is in `values`; the counter `n` is not.
    expect(paths.map((p) => Object.fromEntries(p.values))).toEqual([{ g: false }, { g: true }, { g: true }]);
  });

  test('bodies testing the same flag keep their own assumptions and writes', () => {
    const b = body('b').paths.map((p) => [Object.fromEntries(p.assume), Object.fromEntries(p.values)]);
    const c = body('c').paths.map((p) => [Object.fromEntries(p.assume), Object.fromEntries(p.values)]);
    expect(b).toEqual([
      [{ f: true }, { f: false }],
      [{ f: false }, {}],
    ]);
    expect(c).toEqual([
      [{ f: true }, {}],
      [{ f: false }, { f: true }],
    ]);
  });

  test('a branch event records the assumption its path took', () => {
    const assumed = body('b').paths.map((p) =>
      p.trace.flatMap((ev) => (ev.kind === 'branch' ? [Object.fromEntries(ev.assumed)] : [])),
    );
    expect(assumed).toEqual([[{ f: true }], [{ f: false }]]);
  });
});
