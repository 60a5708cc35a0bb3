/**
 * Turns rule metadata into documentation: the Markdown page under `docs/rules/` (generated, checked for drift by a
 * test), the terminal page `utrc explain` prints, and the SARIF rule descriptors.
 */
import type { SarifRuleInfo } from '../../diagnostics/render-sarif.js';
import type { RuleMeta } from './rule.js';
import { RULES } from './index.js';

/** The docs page's file name: `UTR3002-callback-clears-async-stop.md`. */
export function rulePageName(meta: RuleMeta): string {
  return `${meta.code}-${meta.name}.md`;
}

const FIX_WORDS: Readonly<Record<RuleMeta['fix'], string>> = {
  always: 'always offered',
  sometimes: 'offered when the change is mechanical',
  never: 'none (the change needs a decision)',
};

/** The rule's docs page, Markdown. */
export function rulePage(meta: RuleMeta): string {
  const d = meta.docs;
  const lines = [
    `<!-- Generated from src/checker/rules by scripts/gen/rule-docs.mjs; edit the rule's metadata, not this file. -->`,
    `# ${meta.code}: ${meta.name}`,
    '',
    `| severity | category | fix |`,
    `|---|---|---|`,
    `| ${meta.severity} | ${meta.category} | ${FIX_WORDS[meta.fix]} |`,
    '',
    meta.summary,
    '',
    '## What it flags',
    '',
    d.what,
    '',
    '## Why it is a race',
    '',
    d.why,
    '',
    '### The schedule that shows it',
    '',
    ...d.scenario.map((s, i) => `${i + 1}. ${s}`),
    '',
    `**Symptom:** ${d.symptom}`,
    '',
    `**In the simulator:** ${d.observable}`,
    '',
    '## Example',
    '',
    'Flagged:',
    '',
    '```utr',
    d.bad,
    '```',
    '',
    'Correct:',
    '',
    '```utr',
    d.good,
    '```',
    '',
    '## Fix',
    '',
    d.fix,
    '',
    ...(d.limits ? ['## Limits', '', d.limits, ''] : []),
    '## Suppressing',
    '',
    'If the race cannot happen in your setting, say why on the line it is reported:',
    '',
    '```utr',
    `# utr-allow ${meta.code}: <why this cannot race here>`,
    '```',
    '',
    `Reference: ${d.reference}.`,
    '',
  ];
  return lines.join('\n');
}

/** The page `utrc explain` prints: the Markdown page without the generator comment and code fences. */
export function ruleTerminalPage(meta: RuleMeta): string {
  return (
    rulePage(meta)
      .split('\n')
      .filter((l) => !l.startsWith('<!--') && !l.startsWith('```'))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** The race rules as SARIF rule descriptors, with their docs pages as help. */
export function sarifRules(baseUri?: string): SarifRuleInfo[] {
  return RULES.map((r) => ({
    code: r.meta.code,
    name: r.meta.name,
    summary: r.meta.summary,
    severity: r.meta.severity,
    help: rulePage(r.meta),
    ...(baseUri ? { helpUri: `${baseUri.replace(/\/$/, '')}/${rulePageName(r.meta)}` } : {}),
    tags: ['race', r.meta.category],
  }));
}

/** The catalogue as data, for `utrc rules --format json`. */
export function ruleCatalogue(): {
  code: string;
  name: string;
  severity: string;
  category: string;
  fix: string;
  summary: string;
  docs: string;
}[] {
  return RULES.map((r) => ({
    code: r.meta.code,
    name: r.meta.name,
    severity: r.meta.severity,
    category: r.meta.category,
    fix: r.meta.fix,
    summary: r.meta.summary,
    docs: `docs/rules/${rulePageName(r.meta)}`,
  }));
}

/** The index of `docs/rules/`: one line per rule, linking its page. */
export function rulesIndexPage(): string {
  const lines = [
    `<!-- Generated from src/checker/rules by scripts/gen/rule-docs.mjs; edit the rules' metadata, not this file. -->`,
    '# Race rules',
    '',
    '`utrc check` runs these rules after parsing and type-checking. Each flags a way to get the utrace stop/resume',
    'protocol wrong between handlers (on the traced task) and control code (on the debugger side). Turn rules on',
    'and off with `--rule CODE` / `--no-rule CODE`, change a severity with `--severity CODE=error|warning|info|off`,',
    'and silence one finding with a comment on the line it is reported: `# utr-allow CODE: reason`.',
    '`utrc explain CODE` prints a page in the terminal.',
    '',
    '| code | name | severity | category | fix | summary |',
    '|---|---|---|---|---|---|',
    ...RULES.map(
      (r) =>
        `| ${r.meta.code} | [${r.meta.name}](${rulePageName(r.meta)}) | ${r.meta.severity} | ${r.meta.category} | ${r.meta.fix} | ${r.meta.summary.replace(/\|/g, '\\|')} |`,
    ),
    '',
    'Suppression comments are checked too: `UTR3900` (unused-suppression) when a `utr-allow` matches nothing on its',
    'line, `UTR3901` (suppression-without-reason) when it gives no reason.',
    '',
  ];
  return lines.join('\n');
}
