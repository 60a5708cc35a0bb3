/**
 * The one catalogue of diagnostic codes, assembled from the phases that own them: syntax (parser), names and types
 * (checker), races and suppressions (race rules), and run-time faults (session). Codes are never reused; the
 * catalogue test checks uniqueness and ranges across all of them.
 */
import { SEMANTIC_DIAGNOSTICS } from './checker/diagnostics.js';
import { raceDiagnosticKinds } from './checker/rules/index.js';
import { SUPPRESSION_DIAGNOSTICS } from './checker/suppress.js';
import type { DiagnosticKind } from './diagnostics/catalogue.js';
import { SYNTAX_DIAGNOSTICS } from './parser/diagnostics.js';
import { RUN_DIAGNOSTICS } from './session/diagnostics.js';

/** Every diagnostic kind utrc can report, in code order. */
export function allDiagnosticKinds(): readonly DiagnosticKind[] {
  return [
    ...SYNTAX_DIAGNOSTICS,
    ...SEMANTIC_DIAGNOSTICS,
    ...raceDiagnosticKinds(Object.values(SUPPRESSION_DIAGNOSTICS)),
    ...RUN_DIAGNOSTICS,
  ].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
