/** What a command needs from the outside world; tests pass their own to capture output. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where `-` reads a program from; absent means no standard input is available. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** One verb of the command line (`check`, `build`, `run`, …). */
export interface Command {
  readonly name: string;
  /** One line for `utrc --help`. */
  readonly summary: string;
  /** Runs the verb with the arguments after its name; resolves to the exit status. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Exit statuses shared by every verb (see docs/cli.md). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A problem with how utrc was called or with its input files: one line on stderr and exit 2, never a stack trace. */
export class UsageError extends Error {}
