/**
 * utrc as a library: the front end (parse, check, race rules, suppressions), the diagnostic model and its renderers
 * (text, JSON, SARIF), the AST and the architecture tables. The runtime that compiled engines run on is a separate
 * entry point, `utrc/runtime`.
 *
 *     import { SourceFile, analyze, renderDiagnostics } from 'utrc';
 *     const source = new SourceFile('count.utr', text);
 *     const result = analyze(source);
 *     process.stderr.write(renderDiagnostics(result.diagnostics, new Map([[source.path, source]])));
 */
export { analyze, type FrontendOptions, type FrontendResult } from './frontend.js';
export { parse, type ParseResult } from './parser/index.js';
export { check, type CheckInput, type CheckOptions, type CheckedProgram } from './checker/index.js';
export { RULES, findRule, lintRaces, type Rule, type RuleMeta, type RuleOptions } from './checker/rules/index.js';
export { applySuppressions, parseSuppressions, type Suppression } from './checker/suppress.js';
export * from './parser/ast.js';
export * from './diagnostics/index.js';
export {
  countDiagnostics,
  renderDiagnostic,
  renderDiagnostics,
  renderSummary,
  type DiagnosticCounts,
  type SourceLookup,
  type TextRenderOptions,
} from './diagnostics/render-text.js';
export {
  JSON_FORMAT_VERSION,
  renderJson,
  toJsonReport,
  type JsonDiagnostic,
  type JsonEdit,
  type JsonPosition,
  type JsonRange,
  type JsonRelated,
  type JsonReport,
} from './diagnostics/render-json.js';
export {
  AARCH64,
  ARCHES,
  ARCH_NAMES,
  X86_64,
  isArchName,
  syscallName,
  type Arch,
  type ArchName,
} from './arch/index.js';
export {
  SARIF_VERSION,
  renderSarif,
  toSarif,
  type SarifLog,
  type SarifOptions,
  type SarifRuleInfo,
} from './diagnostics/render-sarif.js';
