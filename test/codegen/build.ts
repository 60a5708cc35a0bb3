/** Builds a source to formatted modules, as `utrc build` does, for the codegen tests. */
import { formatModule, generate } from '../../src/codegen/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import { analyze } from '../../src/frontend.js';

/** The formatted modules of a source, one per engine; throws with the diagnostics when it has errors. */
export async function buildSource(
  path: string,
  text: string,
  version = '0.1.0',
): Promise<{ fileName: string; text: string }[]> {
  const front = analyze(new SourceFile(path, text));
  if (!front.ok) throw new Error(`${path}: ${front.diagnostics.map((d) => d.message).join('; ')}`);
  return Promise.all(
    generate(front.checked, { version }).map(async (m) => ({ fileName: m.fileName, text: await formatModule(m.text) })),
  );
}
