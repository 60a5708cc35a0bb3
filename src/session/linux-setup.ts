/**
 * The setup module of a Linux run, loaded on the tracer thread by the runtime's utrace session
 * (`src/runtime/linux/sessions/utrace.ts`): it loads the compiled engines (from the cache the main thread has just
 * filled), starts a session on the Linux backend, and prints through the same printers as the simulator. Printed
 * text goes to the main thread as `{ type: 'out' | 'err', text }` messages, in order; `{ type: 'end', faults }`
 * comes last. Printing here keeps the records (histograms, maps of bigints) on the thread that made them.
 */
import { archOf, type ArchName } from '../arch/index.js';
import { SourceFile } from '../diagnostics/source.js';
import type { UtraceSetup, UtraceSetupContext } from '../runtime/linux/sessions/utrace.js';
import type { SessionBackend } from './backend.js';
import { loadProgram } from './cache.js';
import { jsonPrinter, textPrinter } from './output.js';
import { runSession } from './session.js';

/** What the main thread passes to the setup (must survive structured clone). */
export interface LinuxSetupOptions {
  readonly file: string;
  readonly text: string;
  readonly version: string;
  readonly cacheDir: string | null;
  readonly arch?: ArchName;
  readonly engines: readonly string[];
  readonly format: 'text' | 'json';
  readonly trace: boolean;
  readonly color: boolean;
  /** Whether the tracees were attached (`-p`) rather than started (`-- CMD`): they run on after a detach. */
  readonly attached: boolean;
}

/** A message of this setup to the main thread. */
export type LinuxSetupMessage =
  | { readonly type: 'out'; readonly text: string }
  | { readonly type: 'err'; readonly text: string }
  | { readonly type: 'end'; readonly faults: number };

/** Attaches the engines and runs the session until the traced processes are gone (see the module comment). */
export async function setup(context: UtraceSetupContext): Promise<UtraceSetup> {
  const options = context.options as LinuxSetupOptions;
  const source = new SourceFile(options.file, options.text);
  const loaded = await loadProgram(source, {
    version: options.version,
    cacheDir: options.cacheDir,
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
  });
  if (!loaded.ok) throw new Error(`${options.file} does not compile on the tracer thread`);
  const post = (message: LinuxSetupMessage): void => context.post(message);
  const to = { out: (text: string) => post({ type: 'out', text }), err: (text: string) => post({ type: 'err', text }) };
  const printer =
    options.format === 'json'
      ? jsonPrinter(to)
      : textPrinter(to, { trace: options.trace, source, color: options.color });
  const { runtime } = context;
  const initialTask = context.tasks[0];
  if (initialTask === undefined) throw new Error('nothing is traced');
  const backend: SessionBackend = {
    name: 'linux',
    runtime,
    debugger: context.debugger,
    initialTask,
    // Every thread of every attached process, as strace -p does (the command is one task at the start).
    initialTasks: context.tasks,
    tgid: (task) => context.tgid(task),
    onEmit: (fn) => runtime.onEmit(fn),
    faults: runtime.faults,
    debuggerErrors: context.debugger.debuggerErrors,
    run: async () => {
      const summary = await context.ended;
      return {
        reason: summary.detached ? 'detached' : 'done',
        time: runtime.now(),
        ...(summary.detached
          ? {
              note: options.attached
                ? 'detached: the traced processes run on untraced'
                : 'detached before the command ended (the command was sent the signal utrc got)',
            }
          : {}),
      };
    },
  };
  // Not awaited: the session ends when the traced processes do (`ended`), after this setup has returned.
  const session = runSession(loaded.engines, backend, {
    engines: options.engines,
    arch: archOf(loaded.arch),
    onEmit: (o) => printer.emit(o),
    ...(options.trace ? { onTrace: (r) => printer.trace(r) } : {}),
  });
  // Its failure is reported from `onEnd`; until then it must not count as unhandled.
  session.catch(() => undefined);
  return {
    onEnd: async () => {
      const result = await session;
      printer.end(result);
      post({ type: 'end', faults: result.faults.length });
    },
  };
}
