/** `utrc explain CODE`: a rule's documentation page in the terminal (any diagnostic code gets its summary). */
import { findRule, RULES } from '../../checker/rules/index.js';
import { ruleTerminalPage } from '../../checker/rules/docs.js';
import { allDiagnosticKinds } from '../../catalogue.js';
import type { DiagnosticKind } from '../../diagnostics/catalogue.js';
import { parseCommandArgs } from '../args.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';

const HELP = `Usage: utrc explain CODE

Show what a diagnostic means. For a race rule (UTR3xxx) this is its full
page: what it flags, the schedule that shows the race, a bad and a good
example, and the fix. CODE may also be a rule name.

Options:
  -h, --help   show this help

Examples:
  utrc explain UTR3002
  utrc explain callback-clears-async-stop
`;

/** The `explain` verb. */
export const command: Command = {
  name: 'explain',
  usage: HELP,
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs('explain', args, {});
  if (positionals.length !== 1) {
    throw new UsageError(`name one code, e.g. 'utrc explain UTR3002' (see 'utrc explain --help')`);
  }
  const ref = positionals[0] ?? '';
  const rule = findRule(ref);
  if (rule) {
    io.stdout.write(ruleTerminalPage(rule.meta));
    return EXIT_OK;
  }
  const other = otherKinds().find((k) => k.code.toLowerCase() === ref.toLowerCase() || k.name === ref.toLowerCase());
  if (other) {
    io.stdout.write(`# ${other.code}: ${other.name}\n\n${other.severity} (${other.phase})\n\n${other.summary}\n`);
    return EXIT_OK;
  }
  const near = RULES.map((r) => r.meta).find((m) => m.name.includes(ref.toLowerCase()));
  const hint = near ? `; did you mean \`${near.code}\` (${near.name})?` : "; 'utrc rules' lists the race rules";
  throw new UsageError(`unknown diagnostic code or rule \`${ref}\`${hint}`);
}

function otherKinds(): readonly DiagnosticKind[] {
  return allDiagnosticKinds().filter((k) => findRule(k.code) === undefined);
}
