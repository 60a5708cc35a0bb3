/**
 * Runs `.utr` programs through the whole pipeline in process (front end, codegen, transpile, import, session on the
 * simulator), with the generated modules importing the runtime from `src/`, so tests see the same runtime objects.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X86_64 } from '../../src/arch/index.js';
import { SourceFile } from '../../src/diagnostics/source.js';
import type { EmitValue, LogRecord, PolicyName } from '../../src/runtime/index.js';
import { builtinWorkload } from '../../src/runtime/sim/workload/builtin.js';
import type { Workload } from '../../src/runtime/sim/workload/types.js';
import { loadProgram, type LoadedProgram } from '../../src/session/cache.js';
import { parseControlOption } from '../../src/session/controls.js';
import { runSession, type SessionResult } from '../../src/session/session.js';
import { simBackend } from '../../src/session/sim-backend.js';

/** The runtime as generated modules import it in tests: the TypeScript source, loaded by vitest. */
const TEST_RUNTIME_URL = new URL('../../src/runtime/index.ts', import.meta.url).href;

const cacheDir = mkdtempSync(join(tmpdir(), 'utrc-test-cache-'));

/** Compiles a source (a path under the repository, or text with a name) for tests. */
export async function compile(pathOrName: string, text?: string): Promise<LoadedProgram> {
  const source = new SourceFile(pathOrName, text ?? readFileSync(pathOrName, 'utf8'));
  return loadProgram(source, { version: 'test', cacheDir, runtimeUrl: TEST_RUNTIME_URL });
}

/** What a test run produced: emitted values in order, plus the session result. */
export interface TestRun extends SessionResult {
  readonly emits: readonly EmitValue[];
  /** Emitted strings only. */
  readonly lines: readonly string[];
  /** The event log, with `trace: true`. */
  readonly trace: readonly LogRecord[];
}

/** Options of a test run. */
export interface TestRunOptions {
  readonly workload?: string | Workload;
  readonly scale?: number;
  readonly seed?: number;
  readonly policy?: PolicyName;
  readonly controls?: readonly string[];
  readonly engines?: readonly string[];
  /** Keep the runtime's event log in `trace`. */
  readonly trace?: boolean;
}

/** Compiles and runs a program on the simulator. */
export async function run(pathOrName: string, options: TestRunOptions = {}, text?: string): Promise<TestRun> {
  const program = await compile(pathOrName, text);
  if (!program.ok) throw new Error(`${pathOrName} has errors: ${program.diagnostics.map((d) => d.message).join('; ')}`);
  const workload =
    typeof options.workload === 'object'
      ? options.workload
      : builtinWorkload(options.workload ?? 'busy-loop', { scale: options.scale ?? 1 });
  const emits: EmitValue[] = [];
  const trace: LogRecord[] = [];
  const result = await runSession(
    program.engines,
    simBackend(workload, {
      seed: options.seed ?? 1,
      trace: options.trace === true,
      ...(options.policy ? { policy: options.policy } : {}),
    }),
    {
      arch: X86_64,
      controls: (options.controls ?? []).map(parseControlOption),
      ...(options.engines ? { engines: options.engines } : {}),
      onEmit: (o) => emits.push(o.value),
      ...(options.trace ? { onTrace: (r: LogRecord) => trace.push(r) } : {}),
    },
  );
  return { ...result, emits, lines: emits.filter((e): e is string => typeof e === 'string'), trace };
}

/** The state of an engine after a run, as plain data (bigints as numbers, maps as objects keyed by printed key). */
export function stateOf(r: SessionResult, engine: string): Record<string, unknown> {
  const inst = r.engines.get(engine);
  if (!inst) throw new Error(`no engine ${engine}`);
  return inst.state as Record<string, unknown>;
}
