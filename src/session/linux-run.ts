/**
 * The main thread's side of a Linux run (`utrc run FILE -- CMD` / `-p PID,…`): chooses the seccomp filter from the
 * checked program, starts the tracer thread with the utrace session and `linux-setup.ts`, writes what the session
 * prints as it arrives, detaches cleanly on Ctrl-C, SIGTERM and SIGHUP, and works out the exit status the way strace
 * does (the command's status, or 128 + the signal that killed it).
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { ArchName } from '../arch/index.js';
import type { SourceFile } from '../diagnostics/source.js';
import type { PolicyName } from '../runtime/index.js';
import { TracerHandle, TraceError, hostArch, shellExitCode } from '../runtime/linux/index.js';
import type { SyscallSelection } from '../runtime/linux/index.js';
import { chooseFilter, type FilterChoice } from './linux-filter.js';
import type { LinuxSetupMessage, LinuxSetupOptions } from './linux-setup.js';

/** What to trace and how. */
export interface LinuxRunOptions {
  /** `[file, ...args]` to start traced; or `pids` to attach to. */
  readonly command?: readonly string[];
  readonly pids?: readonly number[];
  readonly source: SourceFile;
  /** The engines chosen, and every engine a run involves (for the filter). */
  readonly engines: readonly string[];
  readonly involved: readonly string[];
  readonly arch?: ArchName;
  readonly programArch: ArchName;
  readonly version: string;
  readonly cacheDir: string | null;
  readonly format: 'text' | 'json';
  readonly trace: boolean;
  readonly color: boolean;
  readonly policy: PolicyName;
  /** `--no-filter`: stop at every syscall even when the program names the ones it handles. */
  readonly noFilter: boolean;
  readonly killOnExit: boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Standard input of utrc, watched for its end with `-p` when it is a terminal (Ctrl-D detaches). */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** A failure the user must see as one line, exit status 2. */
export class LinuxRunError extends Error {}

const FATAL: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Whether utrc is in its terminal's foreground process group (`pgrp == tpgid` in `/proc/self/stat`). */
function inForeground(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[2] !== undefined && fields[2] === fields[5];
  } catch {
    return false;
  }
}

/** The filter for a run, from the checked program (front end only: parse and check, no code generation). */
async function filterFor(options: LinuxRunOptions): Promise<FilterChoice> {
  const { parse } = await import('../parser/index.js');
  const { check } = await import('../checker/index.js');
  const checked = check(parse(options.source), {
    source: options.source,
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
  });
  return chooseFilter(checked, options.involved);
}

/** Runs the engines on real processes; resolves to utrc's exit status. Throws `LinuxRunError` for bad input. */
export async function runOnLinux(options: LinuxRunOptions): Promise<number> {
  const host = hostArch().arch.name;
  if (host !== options.programArch) {
    throw new LinuxRunError(
      `${options.source.path} is compiled for ${options.programArch} (its \`arch\` line or \`--arch\`), but this machine is ${host}`,
    );
  }
  const filter: FilterChoice = options.noFilter ? { mode: 'all', reason: '--no-filter' } : await filterFor(options);
  const syscalls: SyscallSelection =
    filter.mode === 'filter'
      ? { mode: 'filter', numbers: [...filter.numbers] }
      : { mode: filter.mode === 'none' ? 'none' : 'all' };

  const setupOptions: LinuxSetupOptions = {
    file: options.source.path,
    text: options.source.text,
    version: options.version,
    cacheDir: options.cacheDir,
    ...(options.arch !== undefined ? { arch: options.arch } : {}),
    engines: options.engines,
    format: options.format,
    trace: options.trace,
    color: options.color,
    attached: options.command === undefined,
  };
  let faults = 0;
  // Signal handlers go in before the launch: a Ctrl-C while attaching must detach too, never kill utrc with the
  // tracees stopped. As strace does, the command we started gets the fatal signal utrc received, then every task
  // is detached, so nothing is left stopped; attached processes only get detached and run on. A second signal of
  // the same kind takes Node's default (utrc dies; the kernel detaches what is left).
  let handle: TracerHandle | undefined;
  let signalled = 0;
  const detach = (): void => handle?.detachAll(options.command !== undefined ? signalled : 0);
  const onSignal = (signal: NodeJS.Signals): void => {
    process.removeListener(signal, onSignal);
    signalled = constants.signals[signal];
    detach();
  };
  for (const s of FATAL) process.on(s, onSignal);
  const cleanups: (() => void)[] = [() => FATAL.forEach((s) => process.removeListener(s, onSignal))];
  try {
    handle = await TracerHandle.launch({
      session: new URL('../runtime/linux/sessions/utrace.js', import.meta.url),
      sessionOptions: {
        setup: new URL('./linux-setup.js', import.meta.url).href,
        policy: options.policy,
        trace: options.trace,
        setupOptions,
        // linux-setup prints the records on the tracer thread and posts the text; the raw records are not needed.
        forwardEmits: false,
      },
      ...(options.command !== undefined ? { command: { command: options.command } } : {}),
      ...(options.pids !== undefined ? { pids: options.pids } : {}),
      syscalls,
      killOnExit: options.killOnExit,
      onMessage: (payload) => {
        const m = payload as LinuxSetupMessage | { type: string };
        if (m.type === 'out') options.out((m as { text: string }).text);
        else if (m.type === 'err') options.err((m as { text: string }).text);
        else if (m.type === 'end') faults = (m as { faults: number }).faults;
        // `emit` and `fault` messages of the utrace session are printed by the setup's printer instead.
      },
    });
  } catch (error) {
    for (const c of cleanups) c();
    if (error instanceof TraceError) throw new LinuxRunError(error.message);
    throw error;
  }
  if (signalled !== 0) detach();

  if (filter.mode === 'filter' && handle.info.syscalls.mode === 'filter')
    options.err(
      `utrc: note: seccomp filter in force: only ${filter.names.join(', ')} stop${filter.names.length === 1 ? 's' : ''}; other syscalls run untraced (--no-filter stops at every one)\n`,
    );
  for (const note of handle.info.notes) options.err(`utrc: note: ${note}\n`);

  if (options.pids !== undefined && options.stdin?.isTTY === true && inForeground()) {
    // At a terminal, Ctrl-D (end of input) detaches too: the traced processes run on. Only in the foreground: a
    // background job reading its terminal would be stopped by SIGTTIN, and its tracees with it.
    const stdin = options.stdin;
    const onEnd = (): void => handle?.detachAll();
    stdin.on('end', onEnd);
    stdin.resume();
    cleanups.push(() => {
      stdin.removeListener('end', onEnd);
      stdin.pause();
    });
  }

  let summary;
  try {
    summary = await (handle as TracerHandle).done;
  } catch (error) {
    if (error instanceof TraceError) throw new LinuxRunError(error.message);
    throw error;
  } finally {
    for (const c of cleanups) c();
  }
  if (options.command !== undefined) {
    if (summary.rootStatus !== null) return shellExitCode(summary.rootStatus);
    // Detached before the command ended: it was utrc that got the signal; say so the shell's way.
    return signalled !== 0 ? 128 + signalled : 0;
  }
  return faults > 0 ? 1 : 0;
}
