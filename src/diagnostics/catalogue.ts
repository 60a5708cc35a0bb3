import type { Diagnostic, DiagnosticCode, DiagnosticInit, Severity } from './diagnostic.js';

/** The phase a code belongs to; each owns a range of numbers. */
export type Phase = 'syntax' | 'semantic' | 'race' | 'codegen' | 'run';

/** Code ranges per phase. A code is never reused once published, even if its check is removed. */
export const PHASE_RANGES: Readonly<Record<Phase, readonly [number, number]>> = {
  syntax: [1000, 1999],
  semantic: [2000, 2999],
  race: [3000, 3999],
  codegen: [4000, 4499],
  run: [4500, 4999],
};

/** One entry of the catalogue: what a code means, independent of any particular occurrence. */
export interface DiagnosticKind {
  readonly code: DiagnosticCode;
  /** kebab-case name of the pattern flagged, e.g. `unreachable-handler`. */
  readonly name: string;
  readonly phase: Phase;
  readonly severity: Severity;
  /** One sentence for `utrc rules` and docs. */
  readonly summary: string;
}

/** Makes a diagnostic of a catalogue kind for a file. */
export function makeDiagnostic(kind: DiagnosticKind, file: string, init: DiagnosticInit): Diagnostic {
  const d: Diagnostic = {
    code: kind.code,
    severity: init.severity ?? kind.severity,
    message: init.message,
    file,
    span: init.span,
    related: init.related ?? [],
    notes: init.notes ?? [],
    ...(init.label !== undefined ? { label: init.label } : {}),
    ...(init.help !== undefined ? { help: init.help } : {}),
    ...(init.fix !== undefined ? { fix: init.fix } : {}),
  };
  return d;
}

/** The number of a code, for range checks. */
export function codeNumber(code: DiagnosticCode): number {
  return Number(code.slice(3));
}
