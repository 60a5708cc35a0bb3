/** `utrc rules`: the race rule catalogue, as a table for people or JSON for tools. */
import { RULES } from '../../checker/rules/index.js';
import { ruleCatalogue } from '../../checker/rules/docs.js';
import { SUPPRESSION_DIAGNOSTICS } from '../../checker/suppress.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';

const FORMATS = ['text', 'json'] as const;

const HELP = `Usage: utrc rules [--format text|json]

List the race rules utrc check runs (codes UTR3xxx): code, name, default
severity, category, whether a fix is offered, and what each flags.
Turn rules on and off with 'utrc check --rule CODE' / '--no-rule CODE';
read a rule's page with 'utrc explain CODE'.

Options:
  --format text|json   output format (default: text)
  -h, --help           show this help

Examples:
  utrc rules
  utrc rules --format json | jq '.rules[].code'
`;

const OPTIONS = {
  format: { type: 'string', default: 'text' },
} as const;

/** The `rules` verb. */
export const command: Command = {
  name: 'rules',
  usage: HELP,
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('rules', args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`\`rules\` takes no arguments (see 'utrc rules --help')`);
  const format = oneOf('format', values.format, FORMATS);
  const catalogue = ruleCatalogue();
  if (format === 'json') {
    const suppressions = Object.values(SUPPRESSION_DIAGNOSTICS).map((k) => ({
      code: k.code,
      name: k.name,
      severity: k.severity,
      summary: k.summary,
    }));
    io.stdout.write(JSON.stringify({ version: 1, rules: catalogue, suppressions }, null, 2) + '\n');
    return EXIT_OK;
  }
  io.stdout.write(renderTable(catalogue));
  io.stdout.write(`\n${RULES.length} rules. 'utrc explain CODE' shows a rule's page.\n`);
  return EXIT_OK;
}

function renderTable(rows: ReturnType<typeof ruleCatalogue>): string {
  const head = ['code', 'name', 'severity', 'category', 'fix'];
  const cells = rows.map((r) => [r.code, r.name, r.severity, r.category, r.fix]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]): string =>
    c
      .map((x, i) => x.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => {
    out.push(line(cells[i] ?? []));
    out.push(`    ${r.summary}`);
  });
  return out.join('\n') + '\n';
}
