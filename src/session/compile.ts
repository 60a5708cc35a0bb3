/**
 * The compiler side of `utrc run`: source → front end → generated TypeScript → JavaScript, in memory, with the
 * time each phase took. Loaded only when the compiled-engine cache has no entry, so a repeated run never loads the
 * parser, the checker, ts-morph or TypeScript.
 */
import { ts } from 'ts-morph';
import type { ArchName } from '../arch/index.js';
import { generate } from '../codegen/index.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile } from '../diagnostics/source.js';
import { analyze } from '../frontend.js';
import type { CheckedProgram } from '../checker/program.js';
import type { Block, Engine, NameExpr, NamePattern, Step } from '../parser/ast.js';

/** One engine compiled to a JavaScript module. */
export interface CompiledModule {
  readonly name: string;
  /** Engines it attaches with `attach E to T`. */
  readonly attaches: readonly string[];
  /** The events it subscribes to and the syscalls it names (to choose a workload that exercises it). */
  readonly events: readonly string[];
  readonly syscalls: readonly string[];
  readonly js: string;
}

/** The result of compiling a source for a run. */
export interface CompileResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly arch: ArchName;
  readonly modules: readonly CompiledModule[];
  /** Milliseconds per phase: `front end` (parse, check, race rules), `codegen` (ts-morph), `transpile`. */
  readonly timings: Readonly<Record<string, number>>;
}

function stepsOf(b: Block): Step[] {
  return b.steps.flatMap((s) => [s, ...innerSteps(s)]);
}

function innerSteps(s: Step): Step[] {
  const arms = 'arms' in s && s.arms ? s.arms.flatMap((a) => stepsOf(a.body)) : [];
  if (s.kind === 'IfStep')
    return [
      ...arms,
      ...stepsOf(s.then),
      ...(s.else ? (s.else.kind === 'IfStep' ? [s.else, ...innerSteps(s.else)] : stepsOf(s.else)) : []),
    ];
  return arms;
}

/** The engines an engine attaches (`attach E to T` anywhere in its code). */
function attachTargets(engine: Engine): string[] {
  const names = new Set<string>();
  for (const m of engine.members) {
    if (m.kind === 'StateDecl') continue;
    for (const s of stepsOf(m.body)) if (s.kind === 'AttachStep') names.add(s.engine.name);
  }
  return [...names];
}

/** The syscall names an engine mentions (`call.nr in {openat, openat2}`), in order of first mention. */
function syscallsNamed(checked: CheckedProgram, engine: Engine): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const kind = (node as { kind?: unknown }).kind;
    if (kind === 'NameExpr' || kind === 'NamePattern') {
      const sym = checked.symbolOf(node as NameExpr | NamePattern);
      if (sym?.kind === 'syscall') names.add(sym.name);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'span') visit(value);
  };
  visit(engine.members);
  return [...names];
}

/** Transpiles one generated TypeScript module to an ES module (types erased, nothing else changed). */
export function transpile(text: string): string {
  return ts.transpileModule(text, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false },
  }).outputText;
}

/** Compiles a source for a run; `runtimeUrl` is what the modules import the runtime from. */
export function compileForRun(
  source: SourceFile,
  options: { readonly arch?: ArchName; readonly version: string; readonly runtimeUrl: string },
): CompileResult {
  const t0 = performance.now();
  const front = analyze(source, options.arch !== undefined ? { arch: options.arch } : {});
  const t1 = performance.now();
  const arch = front.checked.arch.name;
  if (!front.ok)
    return { ok: false, diagnostics: front.diagnostics, arch, modules: [], timings: { 'front end': t1 - t0 } };
  const generated = generate(front.checked, { version: options.version, runtimeSpecifier: options.runtimeUrl });
  const t2 = performance.now();
  const modules = generated.map((g, i) => {
    const engine = front.checked.engines[i];
    if (!engine) throw new Error('internal error: generated module without engine');
    return {
      name: g.engine,
      attaches: attachTargets(engine.node),
      events: [...engine.subscribedEvents],
      syscalls: syscallsNamed(front.checked, engine.node),
      js: transpile(g.text),
    };
  });
  const t3 = performance.now();
  return {
    ok: true,
    diagnostics: front.diagnostics,
    arch,
    modules,
    timings: { 'front end': t1 - t0, codegen: t2 - t1, transpile: t3 - t2 },
  };
}
