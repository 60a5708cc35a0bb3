/**
 * `utrc run`: compile a `.utr` file in memory (or take its engines from the cache) and run them on the simulator,
 * printing emitted records as they happen and the aggregations at exit. Exit status 0 when the run was clean, 1 for
 * errors in the source or run-time faults in an engine, 2 for usage and I/O problems.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ARCH_NAMES } from '../../arch/index.js';
import { POLICY_NAMES } from '../../runtime/policy.js';
import {
  builtinWorkload,
  BUILTIN_WORKLOADS,
  defaultWorkloadFor,
  listBuiltinWorkloads,
} from '../../runtime/sim/workload/builtin.js';
import { WorkloadError } from '../../runtime/sim/workload/errors.js';
import { loadWorkloadText } from '../../runtime/sim/workload/load.js';
import type { Workload } from '../../runtime/sim/workload/types.js';
import { defaultCacheDir } from '../../session/cache.js';
import { parseControlOption } from '../../session/controls.js';
import { jsonPrinter, textPrinter } from '../../session/output.js';
import { involvedEngines, runSession } from '../../session/session.js';
import { simBackend } from '../../session/sim-backend.js';
import {
  COLOR_CHOICES,
  oneOf,
  parseCommandArgs,
  parsePositiveOption,
  parseSeed,
  shouldColor,
  parseArchOption,
} from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../command.js';
import { version } from '../version.js';
import { loadInput } from '../load-input.js';
import { describeFsError } from '../read-source.js';

const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: utrc run [options] FILE
       utrc run [options] -e PROGRAM
       utrc run [options] FILE -- CMD [ARGS...]
       utrc run [options] FILE -p PID[,PID...]

Compile the engines of FILE and run them on the simulator: a deterministic
model of the kernel that runs a workload (a scripted program imitating a real
one) on virtual time. Emitted records print as they happen; aggregations
(count, sum, hist, and maps of them) print when the run ends. With -- CMD
or -p, the engines run on real processes instead (Linux).

Options:
  --engine NAME            attach this engine to the workload's first task
                           (repeatable; default: every engine that no other
                           engine attaches)
  --workload NAME|FILE     a built-in workload, a workload JSON file, or a
                           recorded 'strace -f -tt -o FILE' log to replay
                           ('--workload list' lists the built-ins; default:
                           the built-in that best exercises the engines)
  --scale N                make a built-in workload N times longer (default: 1)
  --seed N                 seed of the simulator's scheduler (default: 1)
  --semantics classic|sticky-stop
                           utrace semantics to simulate (default: classic)
  --control NAME[:ARGS]@TIME
                           invoke control NAME (or ENGINE.NAME) with comma-
                           separated ARGS at virtual TIME (e.g. 5ms); repeatable
  --format text|json       output format (default: text; json is one object
                           per line, each with a "type")
  --trace                  print the runtime's event log (every report,
                           callback, control call, stop and wake)
  --schedule FILE          replay a schedule saved by 'utrc explore' exactly,
                           printing its event log and the invariants it breaks
  --arch NAME              architecture for a file without an 'arch' line:
                           ${ARCH_NAMES.join(', ')} (default: x86_64)
  --no-cache               compile even when a cached build of FILE exists
  --color auto|always|never
                           colour diagnostics (default: auto)
  -e, --eval PROGRAM       run PROGRAM given on the command line
  -h, --help               show this help

Real processes (Linux, through ptrace):
  -- CMD [ARGS...]         start CMD traced; the engines attach to its first
                           task (and follow children they attach to in
                           'on clone'); utrc exits with CMD's status, or
                           128+N when signal N killed it
  -p, --pid PID[,PID...]   attach to running processes (every thread); Ctrl-C
                           detaches and they run on
  --no-filter              stop at every syscall; by default, when every
                           syscall handler is guarded by syscall names
                           (call.nr in {openat, ...}), a seccomp filter stops
                           only those
  --kill-on-exit           kill the traced processes if utrc dies (always so
                           while a seccomp filter is in force)

Compiled engines are cached by content in $UTRC_CACHE_DIR, else
$XDG_CACHE_HOME/utrc or ~/.cache/utrc (UTRC_CACHE=0 turns the cache off).

Examples:
  utrc run examples/syscount.utr
  utrc run examples/opens.utr --workload ls-R --format json
  utrc run examples/ptrace_like.utr --workload signals --control cont@20ms
  utrc run examples/syscount.utr -- ls /
  utrc run examples/opens.utr -p 1234
`;

const OPTIONS = {
  engine: { type: 'string', multiple: true },
  workload: { type: 'string' },
  seed: { type: 'string', default: '1' },
  scale: { type: 'string', default: '1' },
  semantics: { type: 'string', default: 'classic' },
  control: { type: 'string', multiple: true },
  format: { type: 'string', default: 'text' },
  trace: { type: 'boolean', default: false },
  schedule: { type: 'string' },
  arch: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  timings: { type: 'boolean', default: false },
  color: { type: 'string', default: 'auto' },
  eval: { type: 'string', short: 'e' },
  pid: { type: 'string', short: 'p' },
  'no-filter': { type: 'boolean', default: false },
  'kill-on-exit': { type: 'boolean', default: false },
} as const;

/** The `run` verb. */
export const command: Command = {
  name: 'run',
  usage: HELP,
  run,
};

/**
 * A built-in workload by name, or a file: a workload JSON file or a recorded `strace -f -tt -o FILE` log, told apart
 * by content. The importer's warnings (lines it could not use) go to stderr, one per line, capped.
 */
function readWorkload(spec: string, io: CliIo, scale: number): Workload {
  if (BUILTIN_WORKLOADS.has(spec)) return builtinWorkload(spec, { scale });
  const looksLikeFile = spec.includes('/') || /\.(json|log|txt|strace)$/.test(spec);
  if (!looksLikeFile) {
    throw new UsageError(
      `no built-in workload \`${spec}\` (available: ${[...BUILTIN_WORKLOADS.keys()].map((n) => `\`${n}\``).join(', ')}; or give a workload .json file or an strace log)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, spec), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read workload \`${spec}\`: ${describeFsError(error)}`);
  }
  try {
    const loaded = loadWorkloadText(text, spec);
    const shown = loaded.warnings.slice(0, MAX_IMPORT_WARNINGS);
    for (const w of shown) io.stderr.write(`utrc: warning: ${w}\n`);
    if (loaded.warnings.length > shown.length)
      io.stderr.write(
        `utrc: warning: ${loaded.warnings.length - shown.length} more lines of \`${spec}\` were skipped\n`,
      );
    return loaded.workload;
  } catch (error) {
    if (error instanceof WorkloadError || error instanceof SyntaxError)
      throw new UsageError(`workload \`${spec}\`: ${error.message}`);
    throw error;
  }
}

/** How many importer warnings to print before summing up the rest. */
const MAX_IMPORT_WARNINGS = 10;

/** `-p 12,34`: the process ids. */
function parsePids(text: string): number[] {
  const parts = text.split(',');
  for (const p of parts)
    if (!/^[1-9][0-9]*$/.test(p) || Number(p) > 0x3fffffff)
      throw new UsageError(`\`-p\` takes process ids separated by commas, not \`${text}\``);
  return [...new Set(parts.map(Number))];
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const started = performance.now();
  // Everything after the first `--` is the command to trace, never options of ours (as with strace).
  const dash = args.indexOf('--');
  const command = dash >= 0 ? args.slice(dash + 1) : undefined;
  const { values, positionals } = parseCommandArgs('run', dash >= 0 ? args.slice(0, dash) : args, OPTIONS);
  const format = oneOf('format', values.format, FORMATS);
  const color = oneOf('color', values.color, COLOR_CHOICES);
  const semantics = oneOf('semantics', values.semantics, POLICY_NAMES);
  const arch = parseArchOption(values.arch);
  const seed = parseSeed(values.seed);
  const scale = parsePositiveOption('scale', values.scale, 1000);
  if (values.workload === 'list') {
    for (const w of listBuiltinWorkloads()) io.stdout.write(`${w.name.padEnd(12)}  ${w.description}\n`);
    return EXIT_OK;
  }
  const pids = values.pid !== undefined ? parsePids(values.pid) : undefined;
  const linux = command !== undefined || pids !== undefined;
  if (command !== undefined && command.length === 0)
    throw new UsageError(`no command after \`--\` (see 'utrc run --help')`);
  if (command !== undefined && pids !== undefined) throw new UsageError('give either `-- CMD` or `-p PID`, not both');
  if (linux) {
    for (const [option, given] of [
      ['--workload', values.workload !== undefined],
      ['--control', values.control !== undefined],
      ['--schedule', values.schedule !== undefined],
      ['--seed', args.some((a) => a === '--seed' || a.startsWith('--seed='))],
      ['--scale', args.some((a) => a === '--scale' || a.startsWith('--scale='))],
    ] as const)
      if (given) throw new UsageError(`\`${option}\` is for the simulator; it does not apply to real processes`);
    if (process.platform !== 'linux')
      throw new UsageError(
        `tracing real processes (\`${command !== undefined ? '-- CMD' : '-p PID'}\`) needs Linux; this is ${process.platform}`,
      );
  } else if (values['no-filter'] || values['kill-on-exit'])
    throw new UsageError(
      `\`${values['no-filter'] ? '--no-filter' : '--kill-on-exit'}\` applies to real processes: add \`-- CMD\` or \`-p PID\``,
    );
  const controls = (values.control ?? []).map(parseControlOption);
  const workloadGiven = !linux && values.workload !== undefined ? readWorkload(values.workload, io, scale) : undefined;

  const useColor = shouldColor(color, io.stderr, io.env);
  const input = await loadInput(
    {
      verb: 'run',
      eval: values.eval,
      positionals,
      engines: values.engine,
      arch,
      noCache: values['no-cache'],
      color: useColor,
      jsonLines: format === 'json',
      warnings: true,
      manyFilesHint: 'to run a command under the engines, put it after `--`',
    },
    io,
  );
  if (typeof input === 'number') return input;
  const { source, loaded, engines: chosen, defaultChoice } = input;

  if (values.schedule !== undefined)
    return (await import('../../explore/replay.js')).replayCommand(values.schedule, source, loaded, io, format);

  const involved = involvedEngines(loaded.engines, chosen);
  if (linux) {
    const { runOnLinux, LinuxRunError } = await import('../../session/linux-run.js');
    try {
      return await runOnLinux({
        ...(command !== undefined ? { command } : {}),
        ...(pids !== undefined ? { pids } : {}),
        source,
        engines: chosen,
        involved: involved.map((e) => e.name),
        ...(arch !== undefined ? { arch } : {}),
        programArch: loaded.arch,
        version: version(),
        cacheDir: values['no-cache'] ? null : defaultCacheDir(io.env),
        format,
        trace: values.trace,
        color: useColor,
        policy: semantics,
        noFilter: values['no-filter'],
        killOnExit: values['kill-on-exit'],
        out: (s) => void io.stdout.write(s),
        err: (s) => void io.stderr.write(s),
        ...(io.stdin ? { stdin: io.stdin as NodeJS.ReadableStream & { isTTY?: boolean } } : {}),
      });
    } catch (error) {
      if (error instanceof LinuxRunError) {
        io.stderr.write(`utrc: ${error.message}\n`);
        return EXIT_USAGE;
      }
      throw error;
    }
  }
  const workload =
    workloadGiven ??
    builtinWorkload(
      defaultChoice
        ? loaded.defaultWorkload
        : defaultWorkloadFor(
            involved.flatMap((e) => e.events ?? []),
            involved.flatMap((e) => e.syscalls ?? []),
          ),
      { scale },
    );

  if (workload.arch !== loaded.arch) {
    throw new UsageError(
      `${source.path} is compiled for ${loaded.arch}, but workload \`${workload.name}\` runs on ${workload.arch}; give a workload of the same architecture`,
    );
  }
  const backend = simBackend(workload, { seed, policy: semantics, trace: values.trace });
  const to = { out: (s: string) => void io.stdout.write(s), err: (s: string) => void io.stderr.write(s) };
  const printer =
    format === 'json' ? jsonPrinter(to) : textPrinter(to, { trace: values.trace, source, color: useColor });
  if (format === 'text' && workloadGiven === undefined && values.timings)
    io.stderr.write(`utrc: workload ${workload.name}\n`);
  const compiled = performance.now();
  const result = await runSession(loaded.engines, backend, {
    engines: chosen,
    controls,
    arch: input.arch,
    onEmit: (o) => printer.emit(o),
    ...(values.trace ? { onTrace: (r: Parameters<typeof printer.trace>[0]) => printer.trace(r) } : {}),
  });
  printer.end(result);
  if (values.timings) {
    const phases = Object.entries(loaded.timings).map(([k, v]) => `${k} ${v.toFixed(1)}ms`);
    io.stderr.write(
      `utrc: timings: ${loaded.cached ? 'cache hit, ' : ''}${phases.join(', ')}; simulate ${(performance.now() - compiled).toFixed(1)}ms; total in command ${(performance.now() - started).toFixed(1)}ms\n`,
    );
  }
  return result.faults.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
