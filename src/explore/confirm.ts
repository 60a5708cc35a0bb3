/**
 * `utrc check --confirm`: for every race warning (UTR3xxx), search for a schedule that shows it. A warning whose
 * symptom is one of the explorer's invariants is confirmed when some schedule breaks that invariant (under either
 * semantics), with the schedule; otherwise it is reported as not confirmed within the budget.
 */
import type { ArchName } from '../arch/index.js';
import { check } from '../checker/index.js';
import type { CheckedProgram } from '../checker/program.js';
import { findRule } from '../checker/rules/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { parse } from '../parser/index.js';
import type { PolicyName } from '../runtime/policy.js';
import { defaultCacheDir, loadProgram } from '../session/cache.js';
import { defaultEngines } from '../session/session.js';
import { exploreTarget, scheduleOf } from './harness.js';
import { RULE_SYMPTOMS, type InvariantName } from './monitors.js';
import { engineLines, explorableControls } from './program.js';
import { scheduleToJson, type ScheduleFile } from './schedule.js';
import { search, type Finding } from './search.js';
import { workloadFor } from './workloads.js';

/** The verdict on one warning. */
export interface Confirmation {
  readonly diagnostic: Diagnostic;
  readonly invariant?: InvariantName;
  /** Semantics under which a schedule shows it (empty: not confirmed). */
  readonly semantics: readonly PolicyName[];
  readonly finding?: Finding;
  /** The first schedule that shows it, replayable with `utrc run FILE --schedule` once saved. */
  readonly schedule?: ScheduleFile;
}

/** How hard `--confirm` looks: the systematic search's preemption bound and the time per file. */
const CONFIRM_BOUND = 2;
const CONFIRM_BUDGET_MS = 10_000;

/** Confirms the race warnings of one source. */
async function confirmWarnings(
  source: SourceFile,
  diagnostics: readonly Diagnostic[],
  options: {
    readonly budgetMs: number;
    readonly bound: number;
    readonly version: string;
    readonly cacheDir: string | null;
    readonly arch?: ArchName;
    readonly checked?: CheckedProgram;
  },
): Promise<Confirmation[]> {
  // Race rules only: the suppression diagnostics (UTR3900, UTR3901) share the UTR3 prefix but show no race.
  const races = diagnostics.filter((d) => d.file === source.path && findRule(d.code) !== undefined);
  if (races.length === 0) return [];
  // No search when none of the warnings has a symptom the explorer could show: it would only spend the budget.
  if (races.every((d) => RULE_SYMPTOMS[d.code] === undefined))
    return races.map((d) => ({ diagnostic: d, semantics: [] }));
  const loaded = await loadProgram(source, {
    version: options.version,
    cacheDir: options.cacheDir,
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
  });
  if (!loaded.ok || loaded.engines.length === 0) return races.map((d) => ({ diagnostic: d, semantics: [] }));
  const engines = defaultEngines(loaded.engines);
  const lines = engineLines(source);
  const program =
    options.checked ?? check(parse(source), { source, ...(options.arch !== undefined ? { arch: options.arch } : {}) });
  const name = workloadFor(program);
  const target = exploreTarget(loaded, engines, name, explorableControls(lines, engines));
  const found = new Map<PolicyName, readonly Finding[]>();
  // Each semantics' search ends once every invariant the warnings stand for has shown, not at the end of the tree.
  const wanted = new Set(races.flatMap((d) => RULE_SYMPTOMS[d.code] ?? []));
  const enough = (fs: readonly Finding[]): boolean =>
    [...wanted].every((w) => fs.some((f) => f.violation.invariant === w));
  for (const semantics of ['classic', 'sticky-stop'] as const) {
    const r = await search(target, {
      semantics,
      bound: options.bound,
      budgetMs: options.budgetMs / 2,
      all: true,
      enough,
    });
    found.set(semantics, r.findings);
  }
  return races.map((d) => {
    const invariant = RULE_SYMPTOMS[d.code];
    if (!invariant) return { diagnostic: d, semantics: [] };
    const showing = [...found.entries()].filter(([, fs]) => fs.some((f) => f.violation.invariant === invariant));
    const first = showing[0];
    const finding = first?.[1].find((f) => f.violation.invariant === invariant);
    if (!first || !finding) return { diagnostic: d, invariant, semantics: [] };
    const schedule = scheduleOf(target, source.path, name, first[0], finding.choices);
    return { diagnostic: d, invariant, semantics: showing.map(([s]) => s), finding, schedule };
  });
}

/** Confirms the race warnings of every source, in the order of the sources. */
export async function confirmAll(
  sources: readonly SourceFile[],
  diagnostics: readonly Diagnostic[],
  options: {
    readonly env: NodeJS.ProcessEnv;
    readonly version: string;
    readonly arch?: ArchName;
    /** Each source's checked program, as the front end made it (the workload is chosen from it; else checked here). */
    readonly checked?: ReadonlyMap<SourceFile, CheckedProgram>;
  },
): Promise<Confirmation[]> {
  const verdicts: Confirmation[] = [];
  for (const source of sources) {
    const checked = options.checked?.get(source);
    verdicts.push(
      ...(await confirmWarnings(source, diagnostics, {
        budgetMs: CONFIRM_BUDGET_MS,
        bound: CONFIRM_BOUND,
        version: options.version,
        cacheDir: defaultCacheDir(options.env),
        ...(options.arch !== undefined ? { arch: options.arch } : {}),
        ...(checked !== undefined ? { checked } : {}),
      })),
    );
  }
  return verdicts;
}

/** The verdict in words, as the text output shows it after `FILE:LINE: CODE`. */
function confirmationText(v: Confirmation): string {
  if (!v.invariant) return 'not confirmed: its symptom is none of the explorer invariants (state it with `assert`)';
  if (v.semantics.length > 0)
    return `confirmed: \`${v.invariant}\` under ${v.semantics.join(' and ')} (see \`utrc explore ${v.diagnostic.file}\`)`;
  return `not confirmed within ${CONFIRM_BUDGET_MS / 1000}s at preemption bound ${CONFIRM_BOUND} (looked for \`${v.invariant}\`)`;
}

/** One line per verdict, `FILE:LINE: CODE verdict`, for the text output. */
export function confirmationLines(verdicts: readonly Confirmation[], sources: readonly SourceFile[]): string {
  const byPath = new Map(sources.map((s) => [s.path, s]));
  return verdicts
    .map((v) => {
      const line = byPath.get(v.diagnostic.file)?.lineCol(v.diagnostic.span.start).line ?? 0;
      return `${v.diagnostic.file}:${line}: ${v.diagnostic.code} ${confirmationText(v)}\n`;
    })
    .join('');
}

/** A verdict in the machine formats (`check --format json` and SARIF result properties). */
export interface JsonConfirmation {
  readonly status: 'confirmed' | 'not-confirmed';
  /** Semantics under which a schedule shows the warning (empty when not confirmed). */
  readonly semantics: readonly PolicyName[];
  /** The invariant searched for; null when the rule's symptom is none of the explorer's. */
  readonly invariant: InvariantName | null;
  /** The first schedule that shows it (save it as a file to replay with `utrc run FILE --schedule`); else null. */
  readonly schedule: ScheduleFile | null;
  /** The verdict in words, as in the text output. */
  readonly message: string;
}

/** The machine-format form of a verdict. */
export function toJsonConfirmation(v: Confirmation): JsonConfirmation {
  return {
    status: v.semantics.length > 0 ? 'confirmed' : 'not-confirmed',
    semantics: v.semantics,
    invariant: v.invariant ?? null,
    // Exactly what `--save-schedule` would write, so the object saved as a file replays as one of those does.
    schedule: v.schedule ? (JSON.parse(scheduleToJson(v.schedule)) as ScheduleFile) : null,
    message: confirmationText(v),
  };
}
