/** One entry point for "a workload from some text": a workload JSON file or a recorded strace log. */
import { WorkloadError } from './errors.js';
import { workloadFromJson } from './json.js';
import { formatStraceWarning, importStrace } from './strace.js';
import type { Workload } from './types.js';

/** A workload read from text, with the importer's warnings (already formatted as `file:line: message`). */
export interface LoadedWorkload {
  readonly workload: Workload;
  readonly kind: 'json' | 'strace';
  readonly warnings: readonly string[];
}

/**
 * Reads a workload from the text of `file`: JSON (the text starts with `{`) or an strace log (anything else).
 * Throws `WorkloadError` for invalid JSON or a log with no system call in it; other problems of a log are
 * warnings, since a partly readable recording is still worth running.
 */
export function loadWorkloadText(text: string, file: string): LoadedWorkload {
  if (/^\s*\{/.test(text)) return { workload: workloadFromJson(text), kind: 'json', warnings: [] };
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const r = importStrace(text, { file, name: base === '' ? undefined : base });
  if (r.stats.syscalls === 0) {
    const first = r.warnings.find((w) => w.line > 0);
    throw new WorkloadError(
      `\`${file}\` is neither a workload JSON file nor an strace log${first ? ` (${formatStraceWarning(first, file)})` : ''}`,
    );
  }
  return { workload: r.workload, kind: 'strace', warnings: r.warnings.map((w) => formatStraceWarning(w, file)) };
}
