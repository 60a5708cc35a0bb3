/** Builds explorer targets from `.utr` files for tests (engines import the runtime from `src/`). */
import { readFileSync } from 'node:fs';
import { SourceFile } from '../../src/diagnostics/source.js';
import { exploreTarget, type Target } from '../../src/explore/harness.js';
import { engineLines, explorableControls, type EngineLines } from '../../src/explore/program.js';
import { defaultExploreWorkload, exploreWorkload } from '../../src/explore/workloads.js';
import { defaultEngines } from '../../src/session/session.js';
import { compile } from '../session/helpers.js';

/** A target with its source lines and workload name. */
export interface TestTarget {
  readonly target: Target;
  readonly lines: readonly EngineLines[];
  readonly workload: string;
}

/** Compiles a file (or text under a name) into an explorer target. */
export async function targetOf(path: string, text?: string, workload?: string): Promise<TestTarget> {
  const source = new SourceFile(path, text ?? readFileSync(path, 'utf8'));
  const program = await compile(path, source.text);
  if (!program.ok) throw new Error(`${path}: ${program.diagnostics.map((d) => d.message).join('; ')}`);
  const engines = defaultEngines(program.engines);
  const lines = engineLines(source);
  const name = workload ?? defaultExploreWorkload(source.text);
  if (!exploreWorkload(name)) throw new Error(`no workload ${name}`);
  return { target: exploreTarget(program, engines, name, explorableControls(lines, engines)), lines, workload: name };
}
