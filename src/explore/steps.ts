/**
 * A counterexample as numbered steps: the event-log records of the run up to the violation, each with the `.utr`
 * member (handler, control, timer) it belongs to and that member's line, and the debugger-side releases the
 * schedule chose. The text report, the HTML diagram and the JSON output are all drawn from these steps.
 */
import { formatRecord, type LogRecord } from '../runtime/log.js';
import type { RunRecord } from './harness.js';
import type { Violation } from './monitors.js';
import type { EngineLines } from './program.js';

/** Which lane of the sequence diagram a step belongs to. */
export type Lane =
  | { readonly kind: 'task'; readonly task: number }
  | { readonly kind: 'engine'; readonly engine: string }
  | { readonly kind: 'debugger'; readonly name: string };

/** One step of a counterexample. */
export interface Step {
  readonly n: number;
  readonly seq: number;
  /** The event-log line (`formatRecord`). */
  readonly text: string;
  readonly lane: Lane;
  /** `parker: on signal`, `parker: control cont`. */
  readonly member?: string;
  readonly line?: number;
  /** Marks the record where the violation shows. */
  readonly violation?: boolean;
}

const SHOWN = new Set(['report', 'callback', 'return', 'call', 'stop', 'wake', 'attach', 'detach', 'debugger', 'emit']);

/** The steps of `run` up to `violation` (and `after` records past it). */
export function stepsOf(run: RunRecord, violation: Violation, lines: readonly EngineLines[], after = 2): Step[] {
  const names = new Map<number, string>();
  const byName = new Map(lines.map((e) => [e.name, e]));
  const steps: Step[] = [];
  const member = (engine: string, what: string): { member?: string; line?: number } => {
    const e = byName.get(engine);
    if (!e) return {};
    if (what.startsWith('report_')) {
      const hs = e.handlers.get(what);
      const h = hs?.[0];
      return h ? { member: `${engine}: ${h.what}`, line: h.line } : {};
    }
    // Later invocations and rescue rounds of a control or timer are named after it: `control c (again #2)`.
    const w = what.replace(/ \((again( #\d+)?|rescue)\)$/, '');
    const c = w.startsWith('control every #')
      ? e.timers[Number(w.slice('control every #'.length)) - 1]
      : e.controls.get(w.replace(/^control /, ''));
    return c ? { member: `${engine}: ${c.what}`, line: c.line } : {};
  };
  const debuggerMember = (name: string): { member?: string; line?: number } => {
    const i = name.indexOf(': ');
    return i < 0 ? {} : member(name.slice(0, i), name.slice(i + 2));
  };
  // Where the schedule released a parked control: shown as a step of its own, before the record it follows.
  const releases = new Map<number, string[]>();
  for (const p of run.points) if (p.kind === 'release') releases.set(p.seq, [...(releases.get(p.seq) ?? []), p.label]);
  for (const r of run.log as readonly LogRecord[]) {
    if (r.seq > violation.seq + after) break;
    for (const label of releases.get(r.seq) ?? []) {
      const name = label
        .replace(/^release /, '')
        .replace(/ \(again( #\d+)?\)$/, '')
        .replace('.', ': control ');
      steps.push({
        n: steps.length + 1,
        seq: r.seq,
        text: `schedule: ${label} (the debugger side may run from here)`,
        lane: { kind: 'debugger', name },
        ...debuggerMember(name),
      });
    }
    if (r.kind === 'attach') names.set(r.engine, r.name);
    const isViolation = r.seq === violation.seq;
    if (
      !SHOWN.has(r.kind) &&
      !(r.kind === 'kernel' && ['syscall', 'signal', 'exec', 'exit'].includes(r.what)) &&
      !isViolation
    )
      continue;
    let lane: Lane = { kind: 'task', task: 'task' in r ? r.task : 0 };
    let extra: { member?: string; line?: number } = {};
    if (r.kind === 'callback' || r.kind === 'return') {
      const engine = names.get(r.engine) ?? `e${r.engine}`;
      lane = { kind: 'engine', engine };
      extra = member(engine, r.callback);
    } else if (r.kind === 'call' && r.caller.startsWith('debugger ')) {
      const name = r.caller.slice('debugger '.length);
      lane = { kind: 'debugger', name };
      extra = debuggerMember(name);
    } else if (r.kind === 'debugger') {
      lane = { kind: 'debugger', name: r.name };
      extra = debuggerMember(r.name);
    } else if (r.kind === 'emit') {
      lane = { kind: 'engine', engine: r.engineName };
    }
    steps.push({
      n: steps.length + 1,
      seq: r.seq,
      text: formatRecord(r),
      lane,
      ...extra,
      ...(isViolation ? { violation: true } : {}),
    });
  }
  if (!steps.some((s) => s.violation)) {
    // End-of-run invariants (a hang, a wait that never ends) show after the last record.
    steps.push({
      n: steps.length + 1,
      seq: violation.seq,
      text: `end of run: ${violation.message}`,
      lane: violation.task !== undefined ? { kind: 'task', task: violation.task } : { kind: 'debugger', name: 'end' },
      violation: true,
    });
  }
  return steps;
}
