/** What the kernel does with a signal nobody handles (its default disposition). */
export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

/** A standard signal: its number on Linux x86_64 and arm64 (both use the generic numbering) and its default. */
export interface SignalInfo {
  readonly name: string;
  readonly number: number;
  readonly defaultAction: DefaultAction;
}

const SIGNAL_LIST = [
  { name: 'SIGHUP', number: 1, defaultAction: 'term' },
  { name: 'SIGINT', number: 2, defaultAction: 'term' },
  { name: 'SIGQUIT', number: 3, defaultAction: 'core' },
  { name: 'SIGILL', number: 4, defaultAction: 'core' },
  { name: 'SIGTRAP', number: 5, defaultAction: 'core' },
  { name: 'SIGABRT', number: 6, defaultAction: 'core' },
  { name: 'SIGBUS', number: 7, defaultAction: 'core' },
  { name: 'SIGFPE', number: 8, defaultAction: 'core' },
  { name: 'SIGKILL', number: 9, defaultAction: 'term' },
  { name: 'SIGUSR1', number: 10, defaultAction: 'term' },
  { name: 'SIGSEGV', number: 11, defaultAction: 'core' },
  { name: 'SIGUSR2', number: 12, defaultAction: 'term' },
  { name: 'SIGPIPE', number: 13, defaultAction: 'term' },
  { name: 'SIGALRM', number: 14, defaultAction: 'term' },
  { name: 'SIGTERM', number: 15, defaultAction: 'term' },
  { name: 'SIGSTKFLT', number: 16, defaultAction: 'term' },
  { name: 'SIGCHLD', number: 17, defaultAction: 'ign' },
  { name: 'SIGCONT', number: 18, defaultAction: 'cont' },
  { name: 'SIGSTOP', number: 19, defaultAction: 'stop' },
  { name: 'SIGTSTP', number: 20, defaultAction: 'stop' },
  { name: 'SIGTTIN', number: 21, defaultAction: 'stop' },
  { name: 'SIGTTOU', number: 22, defaultAction: 'stop' },
  { name: 'SIGURG', number: 23, defaultAction: 'ign' },
  { name: 'SIGXCPU', number: 24, defaultAction: 'core' },
  { name: 'SIGXFSZ', number: 25, defaultAction: 'core' },
  { name: 'SIGVTALRM', number: 26, defaultAction: 'term' },
  { name: 'SIGPROF', number: 27, defaultAction: 'term' },
  { name: 'SIGWINCH', number: 28, defaultAction: 'ign' },
  { name: 'SIGIO', number: 29, defaultAction: 'term' },
  { name: 'SIGPWR', number: 30, defaultAction: 'term' },
  { name: 'SIGSYS', number: 31, defaultAction: 'core' },
] as const satisfies readonly SignalInfo[];

/** The name of a standard signal (`SIGKILL`), so a misspelt name in code fails to compile. */
export type SignalName = (typeof SIGNAL_LIST)[number]['name'];

const NUMBER_OF = Object.fromEntries(SIGNAL_LIST.map((s) => [s.name, s.number])) as Readonly<
  Record<SignalName, number>
>;

/** The number of a standard signal: code names signals through this table instead of writing their numbers. */
export function signalNumber(name: SignalName): number {
  return NUMBER_OF[name];
}

/** The first and last real-time signal numbers as glibc exposes them (the kernel's 32 and 33 are reserved). */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

export const SIGNALS: ReadonlyMap<string, SignalInfo> = new Map(
  SIGNAL_LIST.map((s): [string, SignalInfo] => [s.name, s]),
);
const SIGNALS_BY_NUMBER: ReadonlyMap<number, SignalInfo> = new Map(
  SIGNAL_LIST.map((s): [number, SignalInfo] => [s.number, s]),
);

/** The name of a signal number: `SIGSEGV`, `SIGRTMIN+3`, or `SIG99` for an unknown one. */
export function signalName(signo: number): string {
  const known = SIGNALS_BY_NUMBER.get(signo);
  if (known) return known.name;
  if (signo >= SIGRTMIN && signo <= SIGRTMAX) return signo === SIGRTMIN ? 'SIGRTMIN' : `SIGRTMIN+${signo - SIGRTMIN}`;
  return `SIG${signo}`;
}

/** Real-time signals (and unknown ones) terminate by default. */
export function defaultAction(signo: number): DefaultAction {
  return SIGNALS_BY_NUMBER.get(signo)?.defaultAction ?? 'term';
}
