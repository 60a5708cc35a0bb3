/**
 * The input of the verbs that run one program (`utrc run`, `utrc explore`): read it (FILE, `-` or `-e PROGRAM`),
 * compile it or take it from the cache, report its diagnostics, and choose the engines to attach. One module so
 * that both verbs refuse the same inputs with the same words and exit statuses.
 */
import { archOf, type Arch, type ArchName } from '../arch/index.js';
import { toJsonReport } from '../diagnostics/render-json.js';
import { renderDiagnostics } from '../diagnostics/render-text.js';
import { SourceFile } from '../diagnostics/source.js';
import { defaultCacheDir, loadProgram, type LoadedProgram } from '../session/cache.js';
import { chooseEngines } from '../session/session.js';
import { requireInput } from './args.js';
import { EXIT_FINDINGS, UsageError, type CliIo } from './command.js';
import { EVAL_NAME, InputError, readInput } from './read-source.js';
import { version } from './version.js';

/** What `loadInput` needs from a verb's options. */
export interface InputOptions {
  readonly verb: 'run' | 'explore';
  /** `-e PROGRAM`, if given. */
  readonly eval: string | undefined;
  readonly positionals: readonly string[];
  /** `--engine` values (empty or absent: the default engines). */
  readonly engines: readonly string[] | undefined;
  readonly arch: ArchName | undefined;
  readonly noCache: boolean;
  /** Whether diagnostics are coloured on stderr. */
  readonly color: boolean;
  /** Report diagnostics as `{"type":"diagnostic",…}` lines on stdout (the JSON-lines output of `utrc run`). */
  readonly jsonLines: boolean;
  /** Show warnings of a program without errors too (otherwise diagnostics show only when there is an error). */
  readonly warnings: boolean;
  /** Added to the error for more than one file. */
  readonly manyFilesHint?: string;
}

/** A program ready to run: its source, its compiled engines, its architecture and the engines to attach. */
export interface LoadedInput {
  readonly source: SourceFile;
  readonly loaded: LoadedProgram;
  readonly arch: Arch;
  /** The engines to attach, from `--engine` or the defaults (every engine that no other engine attaches). */
  readonly engines: string[];
  /** Whether `engines` is the default choice. */
  readonly defaultChoice: boolean;
}

/** The input of a one-program verb, or the exit status when it cannot run (the reason is already printed). */
export async function loadInput(options: InputOptions, io: CliIo): Promise<LoadedInput | number> {
  const { verb, positionals } = options;
  requireInput(verb, options.eval, positionals, { files: false });
  if (positionals.length > 1)
    throw new UsageError(
      `\`utrc ${verb}\` takes one .utr file, got ${positionals.length}${options.manyFilesHint !== undefined ? ` (${options.manyFilesHint})` : ''}`,
    );
  let source: SourceFile;
  try {
    source =
      options.eval !== undefined
        ? new SourceFile(EVAL_NAME, options.eval)
        : await readInput(positionals[0] as string, io);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }

  const loaded = await loadProgram(source, {
    version: version(),
    cacheDir: options.noCache ? null : defaultCacheDir(io.env),
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
  });
  if (loaded.diagnostics.length > 0 && (options.warnings || !loaded.ok)) {
    const lookup = new Map([[source.path, source]]);
    if (options.jsonLines) {
      // One object per line like every other record of the run, in the diagnostic form of `check --format json`.
      for (const d of toJsonReport(loaded.diagnostics, lookup, 1).diagnostics)
        io.stdout.write(`${JSON.stringify({ type: 'diagnostic', ...d })}\n`);
    } else io.stderr.write(renderDiagnostics(loaded.diagnostics, lookup, { color: options.color }));
  }
  const nothing = verb === 'run' ? 'nothing runs' : 'nothing explored';
  if (!loaded.ok) {
    if (!options.jsonLines) io.stderr.write(`utrc: ${source.path} has errors; ${nothing}\n`);
    return EXIT_FINDINGS;
  }
  if (loaded.engines.length === 0) {
    io.stderr.write(`utrc: ${source.path} declares no engine: nothing to ${verb}\n`);
    return EXIT_FINDINGS;
  }
  const engines = chooseEngines(loaded.engines, options.engines, source.path);
  return {
    source,
    loaded,
    arch: archOf(loaded.arch),
    engines,
    defaultChoice: options.engines === undefined || options.engines.length === 0,
  };
}
