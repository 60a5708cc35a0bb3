/**
 * Type-checks generated modules in process, as `tsc --strict` would in a user's project: `utrc/runtime` resolves to
 * this package's runtime declarations. Used by `utrc build --typecheck` and by the tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';

/** The runtime's entry point for type checking: the built declarations, or the source when running from `src/`. */
function runtimeTypesPath(): string {
  const dts = fileURLToPath(new URL('../runtime/index.d.ts', import.meta.url));
  return existsSync(dts) ? dts : fileURLToPath(new URL('../runtime/index.ts', import.meta.url));
}

/** One type error in a generated module. */
export interface TypeProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Type-checks modules (`fileName` → text) under `strict`; returns the problems (none for good output). */
export function typecheckModules(
  modules: readonly { readonly fileName: string; readonly text: string }[],
): TypeProblem[] {
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: [],
      noImplicitOverride: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      verbatimModuleSyntax: true,
      paths: { 'utrc/runtime': [runtimeTypesPath()] },
    },
    skipAddingFilesFromTsConfig: true,
  });
  // A directory that does not exist, so nothing on disk is shadowed and nothing is written.
  const base = '/__utrc_typecheck__';
  const files = modules.map((m) => project.createSourceFile(`${base}/${m.fileName}`, m.text, { overwrite: true }));
  const problems: TypeProblem[] = [];
  for (const sf of files) {
    for (const d of sf.getPreEmitDiagnostics()) {
      const file = d.getSourceFile()?.getFilePath() ?? sf.getFilePath();
      const text = ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, '\n');
      problems.push({ file: file.replace(`${base}/`, ''), line: d.getLineNumber() ?? 0, message: text });
    }
  }
  return problems;
}
