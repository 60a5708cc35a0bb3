/**
 * Code generation: transforms a checked `.utr` program without errors into one TypeScript module per engine, each
 * importing only the runtime (`utrc/runtime`), formatted by prettier for `utrc build`, or transpiled to JavaScript
 * for `utrc run`. Deterministic: the same program and version give byte-identical output.
 */
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { CheckedProgram } from '../checker/program.js';
import { engineClassName, engineFileName, generateEngineModule } from './engine.js';

/** One generated engine module. */
export interface GeneratedModule {
  /** The engine's name in the `.utr` file. */
  readonly engine: string;
  /** `NAME.ts` */
  readonly fileName: string;
  /** The default-exported class. */
  readonly className: string;
  /** The TypeScript text (unformatted; see `formatModule`). */
  readonly text: string;
}

/** Options of `generate`. */
export interface GenerateOptions {
  /** The utrc version named in each header. */
  readonly version: string;
  /** Where the modules import the runtime from (default `utrc/runtime`). */
  readonly runtimeSpecifier?: string;
}

/** Raised when code generation is asked for a program that has errors: codegen runs only on clean programs. */
export class ProgramHasErrors extends Error {
  constructor(file: string) {
    super(`${file} has errors; fix them before generating code`);
  }
}

/** Generates one module per engine, in source order. Throws `ProgramHasErrors` for a program with errors. */
export function generate(program: CheckedProgram, options: GenerateOptions): GeneratedModule[] {
  if (hasErrors(program.diagnostics)) throw new ProgramHasErrors(program.source.path);
  return program.engines.map((engine) => ({
    engine: engine.name,
    fileName: engineFileName(engine.name),
    className: engineClassName(engine.name),
    text: generateEngineModule(program, engine, options),
  }));
}

/** The prettier options of generated code. */
const PRETTIER_OPTIONS = { parser: 'typescript', printWidth: 100 } as const;

/** Formats a generated module with prettier (loaded on first use: `run` does not need it). */
export async function formatModule(text: string): Promise<string> {
  const prettier = await import('prettier');
  return prettier.format(text, PRETTIER_OPTIONS);
}
