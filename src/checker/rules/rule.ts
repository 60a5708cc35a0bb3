/**
 * What a race rule is: its metadata (code, name, severity, category, summary, docs, fix availability) and its
 * check over the shared engine model. One rule per file; `index.ts` is the single registry.
 */
import type { DiagnosticKind } from '../../diagnostics/catalogue.js';
import type { DiagnosticInit } from '../../diagnostics/diagnostic.js';
import type { SourceFile, Span } from '../../diagnostics/source.js';
import type { EngineModel, FileModel } from '../analysis/model.js';

/** What part of the utrace contract a rule is about. */
export type RuleCategory = 'stop' | 'resume' | 'ordering' | 'examine' | 'lifecycle' | 'multi-engine';

/** Whether the rule's diagnostics carry a mechanical fix: on every finding, on some, or never. */
export type FixAvailability = 'always' | 'sometimes' | 'never';

/** The rule's documentation page, in parts; `docs/rules/UTR3xxx-name.md` is generated from it. */
export interface RuleDocs {
  /** What the rule flags, one paragraph (Markdown). */
  readonly what: string;
  /** Why it is wrong: the mechanism, one paragraph (Markdown). */
  readonly why: string;
  /**
   * The schedule that shows the symptom, one step per entry, in order: which side runs what, and what utrace does.
   * Written so it can be replayed as a simulator test.
   */
  readonly scenario: readonly string[];
  /**
   * What a simulator test replays and asserts: the schedule above applied to the bad example shows the symptom
   * (usually one of the explorer's invariants in races.md failing), and the same schedule on the good example does
   * not. Simulator tests come with code generation; this is their specification.
   */
  readonly observable: string;
  /** What the user sees when the race hits. */
  readonly symptom: string;
  /** A `.utr` engine the rule flags. */
  readonly bad: string;
  /** The same engine written correctly; the rule is silent on it. */
  readonly good: string;
  /** How to fix it, in words (Markdown). */
  readonly fix: string;
  /** Where in the utrace reference the mechanics are described. */
  readonly reference: string;
  /** Limits of the static check worth knowing (false negatives, heuristics), if any. */
  readonly limits?: string;
}

/** A rule's metadata: a catalogue entry plus what `utrc rules` and the docs need. */
export interface RuleMeta extends DiagnosticKind {
  readonly category: RuleCategory;
  readonly fix: FixAvailability;
  readonly docs: RuleDocs;
}

/** What a rule's check gets to see and how it reports. */
export interface RuleContext {
  readonly file: FileModel;
  readonly source: SourceFile;
  /** Reports a finding of this rule; severity overrides and deduplication are applied by the registry. */
  report(init: DiagnosticInit): void;
  /** The source text of a span. */
  text(span: Span): string;
}

/** One race rule. */
export interface Rule {
  readonly meta: RuleMeta;
  /** Looks for the pattern in one engine (the file model is there for rules about several engines). */
  check(engine: EngineModel, ctx: RuleContext): void;
}

/** Builds a rule's metadata with the race phase filled in. */
export function defineRule(meta: Omit<RuleMeta, 'phase'>, check: Rule['check']): Rule {
  return { meta: { ...meta, phase: 'race' }, check };
}
