/**
 * `utrc run FILE --schedule SCHEDULE`: replay a saved schedule exactly and print the run's event log (the same log,
 * byte for byte, as the run the explorer found), then the invariants it breaks.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourceFile } from '../diagnostics/source.js';
import { formatRecord, recordToJson } from '../runtime/log.js';
import type { LoadedProgram } from '../session/cache.js';
import { exploreTarget, runOnce, type RunRecord } from './harness.js';
import { ScheduleError, scheduleFromJson, type ScheduleFile } from './schedule.js';
import { exploreWorkload } from './workloads.js';

/** A schedule that cannot be replayed on this program (a usage error). */
export class ReplayError extends Error {}

/** Replays `schedule` on the loaded program. */
export async function replay(schedule: ScheduleFile, loaded: LoadedProgram): Promise<RunRecord> {
  for (const name of schedule.engines)
    if (!loaded.engines.some((e) => e.name === name))
      throw new ReplayError(`the schedule attaches engine \`${name}\`, which the program does not declare`);
  if (exploreWorkload(schedule.workload) === undefined)
    throw new ReplayError(`the schedule names an unknown workload \`${schedule.workload}\``);
  const target = exploreTarget(loaded, schedule.engines, schedule.workload, schedule.controls, schedule.invocations);
  return runOnce(target, {
    semantics: schedule.semantics,
    choices: schedule.choices,
  });
}

/** The `--schedule` path of `utrc run`: 0 when the replayed run breaks no invariant, 1 when it does, 2 on bad input. */
export async function replayCommand(
  file: string,
  source: SourceFile,
  loaded: LoadedProgram,
  io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream; readonly cwd: string },
  format: 'text' | 'json',
): Promise<number> {
  let schedule: ScheduleFile;
  try {
    schedule = scheduleFromJson(readFileSync(resolve(io.cwd, file), 'utf8'));
  } catch (error) {
    const why =
      error instanceof ScheduleError
        ? error.message
        : (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'no such file'
          : (error as Error).message;
    io.stderr.write(`utrc: cannot read schedule \`${file}\`: ${why}\n`);
    return 2;
  }
  let run: RunRecord;
  try {
    run = await replay(schedule, loaded);
  } catch (error) {
    if (error instanceof ReplayError) {
      io.stderr.write(`utrc: ${source.path}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  for (const r of run.log) io.stdout.write(`${format === 'json' ? recordToJson(r) : formatRecord(r)}\n`);
  for (const v of run.violations) io.stderr.write(`utrc: violation ${v.invariant} (record ${v.seq}): ${v.message}\n`);
  return run.violations.length > 0 ? 1 : 0;
}
