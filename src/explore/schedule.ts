/**
 * The replayable schedule: everything a run depends on besides the program itself. A run of the explorer is a pure
 * function of (program, engines, workload, semantics, controls, invocations, choices); the choice list is the only
 * thing the search varies, so saving it (with the rest) lets `utrc run --schedule FILE` replay the run exactly.
 */
import type { PolicyName } from '../runtime/policy.js';
import { isPolicyName, POLICY_NAMES } from '../runtime/policy.js';

/** The schedule file format version. 2: every scheduling point is one choice (parked controls are started by a
 * pick), and controls may be invoked several times (`invocations`). */
export const SCHEDULE_FORMAT = 2;

/** A saved schedule (the JSON of a `.schedule.json` file). */
export interface ScheduleFile {
  readonly format: typeof SCHEDULE_FORMAT;
  /** The `.utr` file the schedule was found on (informational; replay uses the file given on the command line). */
  readonly file: string;
  readonly engines: readonly string[];
  /** A built-in workload name (explorer workloads included). */
  readonly workload: string;
  readonly semantics: PolicyName;
  /** The control operations the debugger side may invoke (`ENGINE.NAME[:ARGS]`), each started by a choice. */
  readonly controls: readonly string[];
  /** How many times each control may be invoked, and each timer tick, in one run (absent: the default). */
  readonly invocations?: number;
  /** One entry per choice point, in order; missing trailing entries are 0 (the default choice). */
  readonly choices: readonly number[];
}

/** The default number of times each control may be invoked (and each timer tick) in one explored run. */
export const DEFAULT_INVOCATIONS = 1;

/** A schedule file that cannot be read. */
export class ScheduleError extends Error {}

/** Serialises a schedule (trailing default choices dropped, so equal schedules give equal files). */
export function scheduleToJson(s: ScheduleFile): string {
  const choices = [...s.choices];
  while (choices.length > 0 && choices[choices.length - 1] === 0) choices.pop();
  const text = JSON.stringify({ ...s, invocations: s.invocations ?? DEFAULT_INVOCATIONS, choices: [] }, null, 2);
  // One choice per scheduling point makes long lists: they stay on one line, readable and diffable.
  return `${text.replace(/"choices": \[\]/, `"choices": [${choices.join(', ')}]`)}\n`;
}

function strings(v: unknown, field: string): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new ScheduleError(`\`${field}\` must be a list of strings`);
  return v as string[];
}

/** Parses a schedule file, with a one-line error for anything malformed. */
export function scheduleFromJson(text: string): ScheduleFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScheduleError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ScheduleError('not a schedule object');
  const o = raw as Record<string, unknown>;
  if (o['format'] === 1)
    throw new ScheduleError(
      `schedule format 1 is from an older utrc, whose choices this one counts differently; run \`utrc explore --save-schedule\` again`,
    );
  if (o['format'] !== SCHEDULE_FORMAT)
    throw new ScheduleError(`unknown schedule format \`${String(o['format'])}\` (expected ${SCHEDULE_FORMAT})`);
  const semantics = o['semantics'];
  if (typeof semantics !== 'string' || !isPolicyName(semantics))
    throw new ScheduleError(`\`semantics\` must be one of ${POLICY_NAMES.map((n) => `\`${n}\``).join(', ')}`);
  if (typeof o['workload'] !== 'string') throw new ScheduleError('`workload` must be a string');
  const choices = o['choices'];
  if (!Array.isArray(choices) || !choices.every((c) => Number.isInteger(c) && (c as number) >= 0))
    throw new ScheduleError('`choices` must be a list of non-negative integers');
  const invocations = o['invocations'] ?? DEFAULT_INVOCATIONS;
  if (!Number.isInteger(invocations) || (invocations as number) < 1 || (invocations as number) > 100)
    throw new ScheduleError('`invocations` must be an integer from 1 to 100');
  return {
    format: SCHEDULE_FORMAT,
    file: typeof o['file'] === 'string' ? o['file'] : '',
    engines: strings(o['engines'], 'engines'),
    workload: o['workload'],
    semantics,
    controls: strings(o['controls'], 'controls'),
    invocations: invocations as number,
    choices: choices as number[],
  };
}
