/**
 * `utrc explore`: run the compiled engines on the simulator under many schedules and report every invariant of
 * races.md that some schedule breaks, with the shortest counterexample found and a schedule file that
 * `utrc run --schedule` replays. Exit status 0 when no violation within the bound, 1 when one was found, 2 for
 * usage and I/O problems.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ARCH_NAMES } from '../../arch/index.js';
import type { PolicyName } from '../../runtime/policy.js';
import { explore } from '../../explore/explore.js';
import { exploreTarget } from '../../explore/harness.js';
import { renderHtml } from '../../explore/report-html.js';
import { renderText } from '../../explore/report-text.js';
import { engineLines, explorableControls } from '../../explore/program.js';
import { progressBar } from '../../explore/progress.js';
import { scheduleToJson } from '../../explore/schedule.js';
import { defaultExploreWorkload, exploreWorkload, exploreWorkloadNames } from '../../explore/workloads.js';
import {
  COLOR_CHOICES,
  oneOf,
  parseCommandArgs,
  parseIntOption,
  parsePositiveOption,
  parseSeed,
  shouldColor,
  parseArchOption,
} from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { loadInput } from '../load-input.js';
import { describeFsError } from '../read-source.js';
import { parseControlOption } from '../../session/controls.js';

const HELP = `Usage: utrc explore [options] FILE
       utrc explore [options] -e PROGRAM

Run the engines of FILE on the simulator under many schedules: every
interleaving of the tracee's report points (including the window between a
callback's start and the application of its return value) with the debugger
side (each parameterless control and each timer body, released at a point the
explorer chooses). Every schedule is checked against the invariants of the
race catalogue: no examine while running, no wait that cannot end, no lost
stop, no unexpected stop, no callback after detach, no hang, no engine
exception (failed asserts included). A violation is shown as numbered steps
with their .utr lines, shrunk to the fewest non-default choices.

Options:
  --engine NAME            attach this engine (repeatable; default: every
                           engine that no other engine attaches)
  --workload NAME          tiny, blocked-read, fork-exec, killed-while-parked,
                           or a built-in of 'utrc run' (scaled down);
                           default: the one the engines need, chosen from the
                           program (blocked-read when a control awaits a stop,
                           fork-exec when an engine hears clones, ...)
  --semantics classic|sticky-stop|both
                           utrace semantics (default: classic); 'both' says
                           which invariants fail under which
  --bound N                preemption bound of the systematic search
                           (default: 2)
  --reduction states|dpor|none
                           how the systematic search avoids repeating itself:
                           each state explored once (default), dynamic
                           partial-order reduction, or none (every schedule)
  --budget SECONDS         time budget per semantics (default: 10)
  --seed N                 randomized (PCT) search from seed N instead of the
                           systematic one
  --invocations N          how many times each control may be invoked, and
                           each timer tick, in one schedule (default: 1)
  --control ENGINE.NAME[:ARGS]
                           also invoke this control with these arguments, as
                           'utrc run --control' takes them but without @TIME:
                           the explorer picks the time (repeatable)
  --format text|json|html  report format (default: text)
  -o, --output FILE        write the report to FILE instead of stdout
  --save-schedule FILE     write the first counterexample's schedule to FILE
                           (replay it with 'utrc run FILE --schedule ...')
  --arch NAME              architecture for a file without an 'arch' line:
                           ${ARCH_NAMES.join(', ')} (default: x86_64)
  --no-cache               compile even when a cached build of FILE exists
  --quiet                  no progress bar
  --color auto|always|never
                           colour diagnostics (default: auto)
  -e, --eval PROGRAM       explore PROGRAM given on the command line
  -h, --help               show this help

Examples:
  utrc explore examples/racy/utr3003-async-resume-vs-callback-stop.utr
  utrc explore examples/racy/utr3002-callback-clears-async-stop.utr --semantics both
  utrc explore examples/ptrace_like.utr --bound 3 --budget 30 --format html -o report.html
`;

const OPTIONS = {
  engine: { type: 'string', multiple: true },
  workload: { type: 'string' },
  semantics: { type: 'string', default: 'classic' },
  bound: { type: 'string', default: '2' },
  reduction: { type: 'string' },
  budget: { type: 'string', default: '10' },
  seed: { type: 'string' },
  invocations: { type: 'string' },
  control: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  output: { type: 'string', short: 'o' },
  'save-schedule': { type: 'string' },
  arch: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  color: { type: 'string', default: 'auto' },
  eval: { type: 'string', short: 'e' },
} as const;

/** The `explore` verb. */
export const command: Command = {
  name: 'explore',
  usage: HELP,
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('explore', args, OPTIONS);
  const format = oneOf('format', values.format, ['text', 'json', 'html'] as const);
  const color = oneOf('color', values.color, COLOR_CHOICES);
  const semanticsChoice = oneOf('semantics', values.semantics, ['classic', 'sticky-stop', 'both'] as const);
  const semantics: PolicyName[] = semanticsChoice === 'both' ? ['classic', 'sticky-stop'] : [semanticsChoice];
  const arch = parseArchOption(values.arch);
  const bound = parseIntOption('bound', values.bound, 0, 100);
  const reduction = oneOf('reduction', values.reduction ?? 'states', ['states', 'dpor', 'none'] as const);
  const budgetS = parsePositiveOption('budget', values.budget, 86400, 'seconds');
  const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
  if (seed !== undefined && values.reduction !== undefined)
    throw new UsageError('`--reduction` applies to the systematic search; `--seed` asks for the randomized one');
  const invocations =
    values.invocations === undefined ? undefined : parseIntOption('invocations', values.invocations, 1, 100);
  const extraControls = values.control ?? [];
  for (const c of extraControls) {
    if (c.includes('@'))
      throw new UsageError(`\`--control ${c}\`: the explorer picks the time; write it without \`@TIME\``);
    parseControlOption(c);
  }
  if (values.workload !== undefined && exploreWorkload(values.workload) === undefined)
    throw new UsageError(
      `no workload \`${values.workload}\` (available: ${exploreWorkloadNames()
        .map((n) => `\`${n}\``)
        .join(', ')})`,
    );

  const input = await loadInput(
    {
      verb: 'explore',
      eval: values.eval,
      positionals,
      engines: values.engine,
      arch,
      noCache: values['no-cache'],
      color: shouldColor(color, io.stderr, io.env),
      jsonLines: false,
      warnings: false,
    },
    io,
  );
  if (typeof input === 'number') return input;
  const { source, loaded, engines } = input;
  const workloadName = values.workload ?? defaultExploreWorkload(source.text);
  const lines = engineLines(source);
  const controls = [...explorableControls(lines, engines), ...extraControls];
  const target = exploreTarget(loaded, engines, workloadName, controls, invocations);
  const bar = progressBar(io.stderr, !values.quiet && io.stderr.isTTY === true);
  let result;
  try {
    result = await explore(target, {
      semantics,
      bound,
      budgetMs: budgetS * 1000,
      reduction,
      ...(seed !== undefined ? { mode: 'pct' as const, seed } : {}),
      workloadName,
      file: source.path,
      lines,
      progress: (sem, p) => bar.update(sem, p),
    });
  } finally {
    bar.done();
  }

  const first = result.counterexamples[0];
  let scheduleFile: string | undefined;
  if (values['save-schedule'] !== undefined && first) {
    scheduleFile = values['save-schedule'];
    try {
      writeFileSync(resolve(io.cwd, scheduleFile), scheduleToJson(first.schedule));
    } catch (error) {
      throw new UsageError(`cannot write \`${scheduleFile}\`: ${describeFsError(error, { writing: true })}`);
    }
  }
  const examples = result.counterexamples.map((c, i) =>
    i === 0 && scheduleFile !== undefined ? { ...c, scheduleFile } : c,
  );
  let report: string;
  if (format === 'json')
    report = `${JSON.stringify({ file: source.path, workload: workloadName, summaries: result.summaries, counterexamples: examples }, null, 2)}\n`;
  else if (format === 'html') report = renderHtml(source.path, result.summaries, examples);
  else report = renderText(source.path, result.summaries, examples);
  if (values.output !== undefined) {
    try {
      writeFileSync(resolve(io.cwd, values.output), report);
    } catch (error) {
      throw new UsageError(`cannot write \`${values.output}\`: ${describeFsError(error, { writing: true })}`);
    }
  } else io.stdout.write(report);
  return result.counterexamples.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
