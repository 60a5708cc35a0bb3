import type { DiagnosticKind } from '../diagnostics/catalogue.js';

/** The catalogue entries of the run phase (4500–4999): faults raised while compiled engines run. */
export const RUN_DIAGNOSTICS: readonly DiagnosticKind[] = [
  {
    code: 'UTR4501',
    name: 'engine-fault',
    phase: 'run',
    severity: 'error',
    summary:
      'An engine failed while it ran (division by zero, an index out of range, a failed `assert`): it is detached and the task goes on.',
  },
];
