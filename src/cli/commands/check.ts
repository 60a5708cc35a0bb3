/**
 * `utrc check`: parse, type-check and race-lint `.utr` files, print the diagnostics, and exit 0 (no errors),
 * 1 (errors) or 2 (usage or I/O problem).
 */
import { ARCH_NAMES } from '../../arch/index.js';
import { compareDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { toJsonReport } from '../../diagnostics/render-json.js';
import { renderDiagnostics, renderSummary } from '../../diagnostics/render-text.js';
import { SourceFile } from '../../diagnostics/source.js';
import { sarifRules } from '../../checker/rules/docs.js';
import { unknownRuleRefs, type RuleOptions } from '../../checker/rules/index.js';
import type { CheckedProgram } from '../../checker/program.js';
import { SUPPRESSION_DIAGNOSTICS } from '../../checker/suppress.js';
import { toSarif, type SarifRuleInfo } from '../../diagnostics/render-sarif.js';
import type { JsonConfirmation } from '../../explore/confirm.js';
import type { Severity } from '../../diagnostics/diagnostic.js';
import { analyze } from '../../frontend.js';
import { version } from '../version.js';
import { COLOR_CHOICES, oneOf, parseArchOption, parseCommandArgs, requireInput, shouldColor } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../command.js';
import { EVAL_NAME, InputError, readInput } from '../read-source.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
const LEVELS = ['error', 'warning', 'info', 'off'] as const;

const HELP = `Usage: utrc check [options] FILE...
       utrc check [options] -e PROGRAM

Parse, type-check and race-check .utr files. Diagnostics are printed to stderr
(text) or stdout (json, sarif); the exit status is 0 when there are no errors
(warnings are printed but do not fail), 1 when there are errors, and 2 when
utrc was called wrongly or an input could not be read. Use '-' as FILE to
read a program from standard input. The race rules (UTR3xxx) run once a file
has no syntax or type errors; 'utrc rules' lists them.

Options:
  --format text|json|sarif output format (default: text)
  --color auto|always|never
                           colour the text output (default: auto: only on a
                           terminal, and not when NO_COLOR is set)
  --arch NAME              architecture for files without an 'arch' line:
                           ${ARCH_NAMES.join(', ')} (default: x86_64)
  -q, --quiet              show errors only, and no summary line
  --rule RULE              run only this race rule (a code such as UTR3002 or
                           a name); repeat for more
  --no-rule RULE           do not run this race rule; repeat for more
  --severity RULE=LEVEL    report RULE as error, warning or info, or turn it
                           off; repeat for more
  --confirm                for every race warning, search schedules for one
                           that shows it ('utrc explore'): confirmed or not
  -e, --eval PROGRAM       check PROGRAM given on the command line
  -h, --help               show this help

Examples:
  utrc check examples/syscount.utr
  utrc check --format json engines/*.utr
  utrc check --severity UTR3002=error --no-rule UTR3011 engine.utr
  utrc check --format sarif engines/*.utr > utrc.sarif
  utrc check -e 'engine e { on syscall_entry do resume }'
`;

const OPTIONS = {
  format: { type: 'string', default: 'text' },
  color: { type: 'string', default: 'auto' },
  arch: { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
  eval: { type: 'string', short: 'e' },
  rule: { type: 'string', multiple: true },
  'no-rule': { type: 'string', multiple: true },
  severity: { type: 'string', multiple: true },
  confirm: { type: 'boolean', default: false },
} as const;

/** The `check` verb. */
export const command: Command = {
  name: 'check',
  usage: HELP,
  run,
};

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, OPTIONS);
  const format = oneOf('format', values.format, FORMATS);
  const color = oneOf('color', values.color, COLOR_CHOICES);
  const arch = parseArchOption(values.arch);
  const rules = ruleOptions(values.rule ?? [], values['no-rule'] ?? [], values.severity ?? []);
  requireInput('check', values.eval, positionals, { files: true });
  if (positionals.filter((p) => p === '-').length > 1) {
    throw new UsageError(`standard input ('-') can be named only once`);
  }

  // Read every input first: an unreadable file is reported in one line and the others are still checked.
  const sources: SourceFile[] = [];
  let inputFailed = false;
  if (values.eval !== undefined) sources.push(new SourceFile(EVAL_NAME, values.eval));
  // The same file named twice (a shell glob and an explicit name) is checked once.
  for (const name of new Set(positionals)) {
    try {
      sources.push(await readInput(name, io));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr.write(`utrc: ${error.message}\n`);
      inputFailed = true;
    }
  }

  const diagnostics: Diagnostic[] = [];
  let racesSkipped = 0;
  const checked = new Map<SourceFile, CheckedProgram>();
  for (const source of sources) {
    const result = analyze(source, { rules, ...(arch !== undefined ? { arch } : {}) });
    checked.set(source, result.checked);
    diagnostics.push(...[...result.diagnostics].sort(compareDiagnostics));
    if (!result.racesChecked) racesSkipped++;
  }
  const shown = values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const lookup = new Map(sources.map((s) => [s.path, s]));

  // The machine formats carry each verdict in their one document, so the search runs before it is written; the text
  // output shows the diagnostics first and the verdicts as they come.
  const confirm = values.confirm ? await import('../../explore/confirm.js') : undefined;
  const confirmOptions = { env: io.env, version: version(), checked, ...(arch !== undefined ? { arch } : {}) };
  if (format === 'json' || format === 'sarif') {
    const verdicts = confirm ? await confirm.confirmAll(sources, diagnostics, confirmOptions) : undefined;
    const verdictOf = (d: Diagnostic): JsonConfirmation | null => {
      const v = verdicts?.find((c) => c.diagnostic === d);
      return v && confirm ? confirm.toJsonConfirmation(v) : null;
    };
    if (format === 'json') {
      const report = toJsonReport(shown, lookup, sources.length);
      const withVerdicts = verdicts
        ? report.diagnostics.map((j, i) => ({ ...j, confirmation: verdictOf(shown[i] as Diagnostic) }))
        : report.diagnostics;
      io.stdout.write(
        JSON.stringify(
          { ...report, diagnostics: withVerdicts, summary: { ...report.summary, racesSkipped } },
          null,
          2,
        ) + '\n',
      );
    } else {
      const log = toSarif(shown, lookup, { rules: sarifRuleInfos(), toolVersion: version() });
      const [sarifRun] = log.runs;
      const results = verdicts
        ? sarifRun.results.map((r, i) => {
            const verdict = verdictOf(shown[i] as Diagnostic);
            return verdict ? { ...r, properties: { confirmation: verdict } } : r;
          })
        : sarifRun.results;
      io.stdout.write(JSON.stringify({ ...log, runs: [{ ...sarifRun, results }] }, null, 2) + '\n');
    }
  } else {
    const useColor = shouldColor(color, io.stderr, io.env);
    if (shown.length > 0) io.stderr.write(renderDiagnostics(shown, lookup, { color: useColor }));
    if (!values.quiet && sources.length > 0) {
      const files = sources.length === 1 ? '1 file' : `${sources.length} files`;
      // Say so when errors kept the race rules from running, or "1 error" reads as if that were all.
      const skipped =
        racesSkipped === 0
          ? ''
          : sources.length === 1
            ? ' (race rules run once the errors are fixed)'
            : ` (race rules skipped in ${racesSkipped} ${racesSkipped === 1 ? 'file' : 'files'} with errors)`;
      io.stderr.write(
        `${shown.length > 0 ? '\n' : ''}checked ${files}: ${renderSummary(shown, { color: useColor })}${skipped}\n`,
      );
    }
    if (confirm)
      for (const source of sources)
        io.stderr.write(
          confirm.confirmationLines(await confirm.confirmAll([source], diagnostics, confirmOptions), [source]),
        );
  }

  if (inputFailed) return EXIT_USAGE;
  return diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/** Builds the race-rule options from `--rule`, `--no-rule` and `--severity`, refusing rules that do not exist. */
function ruleOptions(only: readonly string[], disable: readonly string[], severities: readonly string[]): RuleOptions {
  const severity: Record<string, Severity | 'off'> = {};
  for (const item of severities) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`\`--severity\` takes RULE=LEVEL (e.g. UTR3002=error), not \`${item}\``);
    severity[item.slice(0, eq)] = oneOf('severity', item.slice(eq + 1), LEVELS);
  }
  const options: RuleOptions = { only, disable, severity };
  const unknown = unknownRuleRefs(options);
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown race rule ${unknown.map((u) => `\`${u}\``).join(', ')}: give a UTR3xxx code or a rule name (see 'utrc rules')`,
    );
  }
  return options;
}

/** The rule descriptions a SARIF consumer shows next to each result: the race rules with their pages, and the suppression checks. */
function sarifRuleInfos(): SarifRuleInfo[] {
  return [
    ...sarifRules(),
    ...Object.values(SUPPRESSION_DIAGNOSTICS).map((k) => ({
      code: k.code,
      name: k.name,
      summary: k.summary,
      severity: k.severity,
    })),
  ];
}
