import { EXIT_OK, EXIT_USAGE, HelpRequested, UsageError, type CliIo } from './command.js';
import { COMMANDS } from './commands/index.js';
import { version } from './version.js';
import { errorMessage } from '../runtime/lib/errors.js';

export { version } from './version.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4);
  const verbs = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `utrc ${version()}: compile and check tracing engines written in .utr

Usage: utrc <command> [options]

Commands:
${verbs}

Options:
  -h, --help     show help (also after a command: utrc check --help)
  -V, --version  show the version

Example:
  utrc check examples/syscount.utr
`;
}

/** Runs the command line; resolves to the process exit status. Never throws. */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  try {
    const [verb, ...rest] = argv;
    if (verb === undefined) {
      // Called with nothing to do: the usage is the error message, so it goes where errors go.
      io.stderr.write(usage());
      return EXIT_USAGE;
    }
    if (verb === '-h' || verb === '--help' || (verb === 'help' && rest.length === 0)) {
      io.stdout.write(usage());
      return EXIT_OK;
    }
    if (verb === '-V' || verb === '--version') {
      io.stdout.write(`utrc ${version()}\n`);
      return 0;
    }
    // `utrc help check` is `utrc check --help`.
    const [name, args] = verb === 'help' ? [rest[0] ?? '', ['--help']] : [verb, rest];
    const entry = COMMANDS.find((c) => c.name === name);
    if (!entry) {
      const hint = name.startsWith('-') ? `unknown option '${name}'` : `unknown command '${name}'`;
      io.stderr.write(`utrc: ${hint} (try 'utrc --help')\n`);
      return EXIT_USAGE;
    }
    const command = await entry.load();
    try {
      return await command.run(args, io);
    } catch (error) {
      if (!(error instanceof HelpRequested)) throw error;
      io.stdout.write(command.usage);
      return EXIT_OK;
    }
  } catch (error) {
    if (error instanceof UsageError || (await isControlError(error))) {
      io.stderr.write(`utrc: ${errorMessage(error)}\n`);
      return EXIT_USAGE;
    }
    const detail = errorMessage(error);
    io.stderr.write(
      `utrc: internal error: ${detail.split('\n')[0]}\n` +
        `This is a bug in utrc ${version()}; please report it with the input that caused it.` +
        (io.env['UTRC_DEBUG'] === '1'
          ? `\n${error instanceof Error ? (error.stack ?? '') : ''}\n`
          : ' (set UTRC_DEBUG=1 for details)\n'),
    );
    return 70;
  }
}

/**
 * A `--control` or `--engine` the session refuses (no such control or engine, arguments of the wrong kind) is a
 * usage error like any other, wherever below a verb it is found. Its module is loaded only when something failed, so
 * that `utrc --version` and `utrc check` do not pay for it; should that load fail, the error stays an internal one.
 */
async function isControlError(error: unknown): Promise<boolean> {
  if (!(error instanceof Error)) return false;
  try {
    return error instanceof (await import('../session/controls.js')).ControlError;
  } catch {
    return false;
  }
}

function defaultIo(): CliIo {
  // `utrc check … | head` closes the pipe early: that is the reader's choice, not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}
