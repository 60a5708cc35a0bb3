/**
 * The catalogue of name and type diagnostics (`UTR2xxx`). Codes are stable: a code is never reused, even when its
 * check is removed. Messages are built where the problem is found; this file says what each code means.
 */
import type { DiagnosticKind } from '../diagnostics/catalogue.js';

function kind(code: number, name: string, summary: string, severity: 'error' | 'warning' = 'error'): DiagnosticKind {
  return { code: `UTR${code}`, name, phase: 'semantic', severity, summary };
}

/** Each semantic diagnostic kind by a short key, for the checker's own use. */
export const SEM = {
  unknownArch: kind(2001, 'unknown-arch', 'The `arch` directive or `--arch` names an architecture utrc does not know.'),
  duplicateEngine: kind(2002, 'duplicate-engine', 'Two engines in one file have the same name.'),
  duplicateState: kind(2003, 'duplicate-state', 'An engine declares two state variables with the same name.'),
  duplicateControl: kind(2004, 'duplicate-control', 'An engine declares two controls with the same name.'),
  duplicateParam: kind(2005, 'duplicate-param', 'A control declares two parameters with the same name.'),
  unknownType: kind(2006, 'unknown-type', 'A type name is not one of the language types.'),
  wrongTypeArity: kind(
    2007,
    'wrong-type-arity',
    'A type has the wrong number of type arguments (`list<T>`, `map<K, V>`).',
  ),
  invalidTypeArgument: kind(
    2008,
    'invalid-type-argument',
    'A type is not allowed where it is used: a map key that is not a simple value, an aggregation inside a list.',
  ),
  unknownEvent: kind(2009, 'unknown-event', 'A handler or `events` change names something that is not a utrace event.'),
  bindingNotAllowed: kind(
    2010,
    'binding-not-allowed',
    'A binding is given for an event that has no payload (`reap`, `attach`, `detach`).',
  ),
  unknownName: kind(2011, 'unknown-name', 'A name refers to no state, binding, parameter, syscall, signal or event.'),
  unknownField: kind(2012, 'unknown-field', 'A value has no field of that name.'),
  fieldNotInEvent: kind(
    2013,
    'field-not-in-event',
    'A payload field exists only for another event (`call.ret` outside `syscall_exit`).',
  ),
  unknownFunction: kind(
    2014,
    'unknown-function',
    'A call names a function that is not in the library (`path`, `len`, `table`, `hex`, `str`).',
  ),
  wrongArgumentCount: kind(
    2015,
    'wrong-argument-count',
    'A library function is called with the wrong number of arguments.',
  ),
  typeMismatch: kind(2016, 'type-mismatch', 'A value has a different type from the one its place requires.'),
  invalidOperands: kind(2017, 'invalid-operands', 'An operator is applied to operand types it does not accept.'),
  notPrintable: kind(
    2018,
    'not-printable',
    'A value that has no printed form is interpolated into a string or passed to `str`.',
  ),
  tableOutsideEmit: kind(2019, 'table-outside-emit', '`table(map)` is used anywhere but as the argument of `emit`.'),
  invalidAssignmentTarget: kind(
    2020,
    'invalid-assignment-target',
    'A step writes to something that is not engine state: a binding, a parameter, `task`, `regs`, a constant.',
  ),
  invalidUpdate: kind(2021, 'invalid-update', '`+=`/`-=` or `set` is used on a type that does not allow it.'),
  invalidAppend: kind(
    2022,
    'invalid-append',
    '`append` adds to something that is not a `list` or a `hist`, or with the wrong element type.',
  ),
  invalidIndex: kind(
    2023,
    'invalid-index',
    'A value is indexed that cannot be, or with a key of the wrong type or out of range.',
  ),
  abortOutsideSyscallEntry: kind(
    2024,
    'abort-outside-syscall-entry',
    '`abort` is used outside a `syscall_entry` handler.',
  ),
  fateOutsideSignal: kind(2025, 'fate-outside-signal', '`fate` is used outside a `signal` handler.'),
  actionNotAllowedForEvent: kind(
    2026,
    'action-not-allowed-for-event',
    'A handler ends with a resume action its event cannot return.',
  ),
  awaitOutsideControl: kind(
    2027,
    'await-outside-control',
    '`await stopped` is used in a handler, which would wait for itself.',
  ),
  missingResumeAction: kind(2028, 'missing-resume-action', 'A path through a handler ends without a resume action.'),
  unreachableStep: kind(
    2029,
    'unreachable-step',
    'A step follows the resume action that ends a handler path, so it never runs.',
  ),
  unmatchedStop: kind(2030, 'unmatched-stop', 'Control code calls `stop` without matching its result.'),
  nonExhaustiveStatusMatch: kind(
    2031,
    'non-exhaustive-status-match',
    'A match on a control call result misses statuses the call can return.',
  ),
  impossibleStatus: kind(2032, 'impossible-status', 'A match arm names a status the call can never return.'),
  timeoutWithoutWithin: kind(
    2033,
    'timeout-without-within',
    'A `timeout` arm is given for an `await stopped` without `within`.',
  ),
  examineWhileRunning: kind(
    2034,
    'examine-while-running',
    'Control code examines the task (`fetch`, `path()`) where it is not known to be stopped.',
  ),
  regsNotFetched: kind(2035, 'regs-not-fetched', '`regs` is read on a path where no `fetch regs` came before.'),
  unreachableHandler: kind(
    2036,
    'unreachable-handler',
    'A handler can never run: an earlier handler for the same event has no guard, or its own guard is `false`.',
    'warning',
  ),
  invalidPeriod: kind(
    2037,
    'invalid-period',
    'An `every` period or a `within` limit is not a positive constant duration.',
  ),
  unknownEngine: kind(2038, 'unknown-engine', '`attach` names an engine that is not declared in this file.'),
  controlStepInHandler: kind(
    2039,
    'control-step-in-handler',
    'A handler uses a control-side form: a result `match` on an action or `events`, or `barrier`.',
  ),
  statusOutsideMatch: kind(2040, 'status-outside-match', 'A status name (`stopped`, `pending`, …) is used as a value.'),
  invalidInitialiser: kind(
    2041,
    'invalid-initialiser',
    'A state initialiser is not a constant, or initialises a collection or aggregation.',
  ),
  unreachableArm: kind(
    2042,
    'unreachable-arm',
    'A match arm can never be chosen: an earlier arm covers its pattern.',
    'warning',
  ),
  emitNotString: kind(2043, 'emit-not-string', '`emit` is given something other than a string or `table(map)`.'),
  shadowedState: kind(
    2044,
    'shadowed-state',
    'A binding or parameter has the name of a state variable and hides it.',
    'warning',
  ),
  examineAfterExit: kind(
    2045,
    'examine-after-exit',
    'A `death` or `reap` handler reads what the task no longer has: its memory (`death`) or anything at all (`reap`).',
  ),
} as const satisfies Record<string, DiagnosticKind>;

/** The semantic diagnostic kinds, in code order. */
export const SEMANTIC_DIAGNOSTICS: readonly DiagnosticKind[] = Object.values(SEM);
