/**
 * `utrc check --confirm`: for every race warning (UTR3xxx), search for a schedule that shows it. A warning whose
 * symptom is one of the explorer's invariants is confirmed when some schedule breaks that invariant (under either
 * semantics), with the schedule; otherwise it is reported as not confirmed within the budget.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { PolicyName } from '../runtime/policy.js';
import { defaultCacheDir, loadProgram } from '../session/cache.js';
import { defaultEngines } from '../session/session.js';
import { exploreTarget } from './harness.js';
import type { InvariantName } from './monitors.js';
import { engineLines, explorableControls } from './program.js';
import { search, type Finding } from './search.js';
import { defaultExploreWorkload } from './workloads.js';

/** The invariant whose violation shows each rule's symptom (rules not listed have none). */
export const RULE_INVARIANTS: Readonly<Record<string, InvariantName>> = {
  UTR3001: 'examine-while-running',
  UTR3002: 'lost-stop',
  UTR3003: 'unexpected-stop',
  UTR3004: 'callback-after-detach',
  UTR3005: 'callback-after-detach',
  UTR3006: 'lost-stop',
  UTR3009: 'hang',
  UTR3010: 'wait-never-ends',
};

/** The verdict on one warning. */
export interface Confirmation {
  readonly diagnostic: Diagnostic;
  readonly invariant?: InvariantName;
  /** Semantics under which a schedule shows it (empty: not confirmed). */
  readonly semantics: readonly PolicyName[];
  readonly finding?: Finding;
}

/** Confirms the race warnings of one source. */
export async function confirmWarnings(
  source: SourceFile,
  diagnostics: readonly Diagnostic[],
  options: {
    readonly budgetMs: number;
    readonly bound: number;
    readonly version: string;
    readonly cacheDir: string | null;
  },
): Promise<Confirmation[]> {
  const races = diagnostics.filter((d) => d.file === source.path && d.code.startsWith('UTR3'));
  if (races.length === 0) return [];
  const loaded = await loadProgram(source, { version: options.version, cacheDir: options.cacheDir });
  if (!loaded.ok || loaded.engines.length === 0) return races.map((d) => ({ diagnostic: d, semantics: [] }));
  const engines = defaultEngines(loaded.engines);
  const lines = engineLines(source);
  const name = defaultExploreWorkload(source.text);
  const target = exploreTarget(loaded, engines, name, explorableControls(lines, engines));
  const found = new Map<PolicyName, readonly Finding[]>();
  for (const semantics of ['classic', 'sticky-stop'] as const) {
    const r = await search(target, { semantics, bound: options.bound, budgetMs: options.budgetMs / 2, all: true });
    found.set(semantics, r.findings);
  }
  return races.map((d) => {
    const invariant = RULE_INVARIANTS[d.code];
    if (!invariant) return { diagnostic: d, semantics: [] };
    const semantics = [...found.entries()]
      .filter(([, fs]) => fs.some((f) => f.violation.invariant === invariant))
      .map(([s]) => s);
    const finding = [...found.values()].flat().find((f) => f.violation.invariant === invariant);
    return { diagnostic: d, invariant, semantics, ...(finding ? { finding } : {}) };
  });
}

/** Runs the confirmation for every source and prints one line per race warning to `out`. */
export async function confirmCommand(
  sources: readonly SourceFile[],
  diagnostics: readonly Diagnostic[],
  out: NodeJS.WritableStream,
  env: NodeJS.ProcessEnv,
  version: string,
): Promise<void> {
  for (const source of sources) {
    const verdicts = await confirmWarnings(source, diagnostics, {
      budgetMs: 10_000,
      bound: 2,
      version,
      cacheDir: defaultCacheDir(env),
    });
    for (const v of verdicts) {
      const at = `${source.path}:${source.lineCol(v.diagnostic.span.start).line}`;
      const what = !v.invariant
        ? 'not confirmed: its symptom is none of the explorer invariants (state it with `assert`)'
        : v.semantics.length > 0
          ? `confirmed: \`${v.invariant}\` under ${v.semantics.join(' and ')} (see \`utrc explore ${source.path}\`)`
          : `not confirmed within 10s at preemption bound 2 (looked for \`${v.invariant}\`)`;
      out.write(`${at}: ${v.diagnostic.code} ${what}\n`);
    }
  }
}
