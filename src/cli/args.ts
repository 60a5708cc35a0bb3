/**
 * Argument handling shared by the verbs: `node:util` `parseArgs` with its errors turned into one-line usage
 * messages, the `--color` decision, and validation of enumerated option values.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ARCH_NAMES, type ArchName } from '../arch/index.js';
import { HelpRequested, UsageError } from './command.js';
import { errorMessage } from '../runtime/lib/errors.js';

/** The option table of one verb, in `parseArgs` form. */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommandArgs` returns: typed option values and the positionals. */
export type ParsedArgs<O extends OptionTable> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

/** Every verb's `-h, --help`, added to its option table here so that no verb declares or tests it. */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a verb's arguments strictly: an unknown option or a missing value is a usage error (exit 2), and
 * `-h`/`--help` (when the rest parses) throws `HelpRequested`. Arguments after `--` are positionals, never options.
 */
export function parseCommandArgs<const O extends OptionTable>(
  verb: string,
  args: readonly string[],
  options: O,
): ParsedArgs<O> {
  let parsed: ParsedArgs<O & typeof HELP_OPTION>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: { ...options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${describeParseError(error)} (see 'utrc ${verb} --help')`);
  }
  if ((parsed.values as { readonly help?: boolean }).help === true) throw new HelpRequested(`utrc ${verb} --help`);
  return parsed;
}

function describeParseError(error: unknown): string {
  const message = errorMessage(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option \`${unknown[1]}\``;
  const missing = /Option '([^' ]+)[^']*' argument missing/.exec(message);
  if (missing) return `option \`${missing[1]}\` needs a value`;
  const ambiguous = /Option '([^' ]+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous)
    return `option \`${ambiguous[1]}\` needs a value (use ${ambiguous[1]}=VALUE for one starting with '-')`;
  // Node's other messages are already sentences; keep the first and lower-case its start to match ours.
  const first = message.split(/\.\s/)[0] ?? message;
  return first.charAt(0).toLowerCase() + first.slice(1).replace(/\.$/, '');
}

/**
 * Refuses `-e PROGRAM` given together with files, and neither given: what every verb that compiles a program takes.
 * `files`: whether the verb takes several files (`check`, `build`) or one (`run`, `explore`), for the wording.
 */
export function requireInput(
  verb: string,
  evalText: string | undefined,
  positionals: readonly string[],
  { files }: { files: boolean },
): void {
  if (evalText !== undefined && positionals.length > 0)
    throw new UsageError(
      `give either -e PROGRAM or ${files ? 'files' : 'a file'}, not both (see 'utrc ${verb} --help')`,
    );
  if (evalText === undefined && positionals.length === 0)
    throw new UsageError(
      `no input: name ${files ? '.utr files' : 'a .utr file'}, '-' for standard input, or -e PROGRAM (see 'utrc ${verb} --help')`,
    );
}

/** Checks that an option's value is one of `allowed`. */
export function oneOf<const T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`\`--${option}\` must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, not \`${value}\``);
}

/** Parses `--arch` when given: one of `ARCH_NAMES`. */
export function parseArchOption(text: string | undefined): ArchName | undefined {
  return text === undefined ? undefined : oneOf('arch', text, ARCH_NAMES);
}

/** The largest `--seed`: the simulator's and the explorer's seeds are 32-bit. */
const SEED_MAX = 0xffffffff;

/** Parses a whole-number option from `min` to `max`; anything else (signs, fractions, hex) is a usage error. */
export function parseIntOption(option: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < min || n > max)
    throw new UsageError(`\`--${option}\` must be an integer from ${min} to ${max}, not \`${text}\``);
  return n;
}

/** Parses a decimal option above 0 and at most `max` (`unit` names what it counts, e.g. `seconds`). */
export function parsePositiveOption(option: string, text: string, max: number, unit?: string): number {
  const n = Number(text);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || !(n > 0) || n > max)
    throw new UsageError(
      `\`--${option}\` must be a number${unit !== undefined ? ` of ${unit}` : ''} above 0 and at most ${max}, not \`${text}\``,
    );
  return n;
}

/** Parses `--seed`: an integer from 0 to `SEED_MAX`. */
export function parseSeed(text: string): number {
  return parseIntOption('seed', text, 0, SEED_MAX);
}

/** `--color`'s values. */
export const COLOR_CHOICES = ['auto', 'always', 'never'] as const;
export type ColorChoice = (typeof COLOR_CHOICES)[number];

/**
 * Whether to colour output written to `stream`. `always`/`never` win; `auto` colours only a terminal, and never
 * when `NO_COLOR` is set to a non-empty value (no-color.org) or `TERM=dumb`.
 */
export function shouldColor(choice: ColorChoice, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}
