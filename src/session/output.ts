/**
 * How a run prints: emitted records as they happen, the event log with `--trace`, run-time faults with their
 * `.utr` location (rendered like every other diagnostic, code UTR4501), and the aggregations at exit (tables and
 * bpftrace-style histograms), as text or as one JSON object per line, each with a `type`.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderDiagnostic } from '../diagnostics/render-text.js';
import type { SourceFile } from '../diagnostics/source.js';
import {
  aggregationJson,
  emitJson,
  formatRecord,
  isTableValue,
  recordToJson,
  renderAggregation,
  renderTable,
  type LogRecord,
  type Output,
} from '../runtime/index.js';
import type { RunFault, SessionResult } from './session.js';

/** The code of a run-time fault in generated code. */
export const RUN_FAULT_CODE = 'UTR4501';

/** Receives what a run prints. */
export interface RunPrinter {
  emit(o: Output): void;
  trace(r: LogRecord): void;
  /** Faults, aggregations and the end of the run. */
  end(result: SessionResult): void;
}

/** Where printed text goes: `out` for the run's output, `err` for faults and notes. */
export interface PrintTargets {
  out(text: string): void;
  err(text: string): void;
}

/** A fault as a diagnostic at its `.utr` location (when known). */
function faultDiagnostic(f: RunFault): Diagnostic {
  const span = f.location ? { start: f.location.start, end: f.location.end } : { start: 0, end: 0 };
  return {
    code: RUN_FAULT_CODE,
    severity: 'error',
    message: `run-time error in engine \`${f.engine}\`: ${f.message}`,
    file: f.file,
    span,
    label: f.location ? 'here' : undefined,
    related: [],
    notes: [`in ${f.where}${f.task !== undefined ? ` on task ${f.task}` : ''}; the engine was detached from that task`],
  } as Diagnostic;
}

/** The text printer. With `trace`, emitted records show in the trace (not twice). */
export function textPrinter(
  to: PrintTargets,
  options: { trace: boolean; source?: SourceFile; color?: boolean },
): RunPrinter {
  return {
    emit(o) {
      if (options.trace) return;
      const v = o.value;
      if (typeof v === 'string') to.out(`${v}\n`);
      else if (isTableValue(v)) to.out(`${renderTable(v, '').join('\n')}\n`);
      else to.out(`${JSON.stringify(emitJson(v))}\n`);
    },
    trace(r) {
      to.out(`${formatRecord(r)}\n`);
    },
    end(result) {
      for (const f of result.faults) {
        const d = faultDiagnostic(f);
        const sources = new Map(options.source ? [[options.source.path, options.source]] : []);
        to.err(
          f.location && options.source
            ? renderDiagnostic(d, sources, { color: options.color ?? false })
            : `utrc: error[${RUN_FAULT_CODE}]: ${d.message} (${f.file}, ${d.notes[0]})\n`,
        );
      }
      const several = result.aggregations.length > 1;
      const blocks = result.aggregations.flatMap(({ engine, list }) =>
        list.map((a) => renderAggregation(several ? { ...a, name: `${engine}.${a.name}` } : a)),
      );
      // One-line aggregations (`execs: 3`) sit together; tables and histograms get a blank line around them.
      let text = '';
      blocks.forEach((lines, i) => {
        const previous = blocks[i - 1];
        if (i > 0) text += lines.length > 1 || (previous && previous.length > 1) ? '\n\n' : '\n';
        text += lines.join('\n');
      });
      if (blocks.length > 0) to.out(`\n${text}\n`);
      if (result.outcome.note) to.err(`utrc: note: ${result.outcome.note}\n`);
      for (const note of result.notes) to.err(`utrc: note: ${note}\n`);
    },
  };
}

/** The JSON-lines printer: `emit`, `trace`, `fault`, `aggregation` and `end` objects. */
export function jsonPrinter(to: PrintTargets): RunPrinter {
  const line = (o: Record<string, unknown>): void => to.out(`${JSON.stringify(o)}\n`);
  return {
    emit(o) {
      line({ type: 'emit', time: o.time, task: o.task, engine: o.engineName, value: emitJson(o.value) });
    },
    trace(r) {
      to.out(`{"type":"trace","record":${recordToJson(r)}}\n`);
    },
    end(result) {
      for (const f of result.faults)
        line({
          type: 'fault',
          code: RUN_FAULT_CODE,
          engine: f.engine,
          file: f.file,
          ...(f.location ? { line: f.location.line, column: f.location.column } : {}),
          where: f.where,
          ...(f.task !== undefined ? { task: f.task } : {}),
          message: f.message,
        });
      for (const { engine, list } of result.aggregations)
        for (const a of list) line({ type: 'aggregation', engine, ...aggregationJson(a) });
      for (const note of result.notes) line({ type: 'note', message: note });
      line({
        type: 'end',
        reason: result.outcome.reason,
        time: result.outcome.time,
        ...(result.outcome.note ? { note: result.outcome.note } : {}),
      });
    },
  };
}
