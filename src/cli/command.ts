/** What a command needs from the outside world; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where `-` reads a program from; absent means no standard input is available. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** One verb of the command line (`check`, `build`, `run`, …); its one-line summary is in the registry (`COMMANDS`). */
export interface Command {
  readonly name: string;
  /** What `utrc VERB --help` and `utrc help VERB` print: usage lines, what the verb does, its options, examples. */
  readonly usage: string;
  /**
   * Runs the verb with the arguments after its name; resolves to the exit status. Throws `HelpRequested` (through
   * `parseCommandArgs`) when the arguments ask for help, and `UsageError` when they are wrong.
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit statuses shared by every verb (see docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A problem with how utrc was called or with its input files: one line on stderr and exit 2, never a stack trace. */
export class UsageError extends Error {}

/**
 * `-h`/`--help` among a verb's arguments: `parseCommandArgs` throws it and `main` prints the verb's `usage` (stdout,
 * exit 0), so no verb handles help itself. Thrown, like `UsageError`, because it ends the verb before it does anything.
 */
export class HelpRequested extends Error {}
