/** Name lookups shared by the builder, the validator and the importer: syscalls per arch, signals, errnos. */
import { ARCHES, SIGNALS } from '../../../arch/index.js';
import type { Arch, ArchName } from '../../../arch/index.js';
import { signalNumber } from './constants.js';
import { errnoNumber, ERRNO } from '../../../arch/errno.js';

/** The arch table for a name (the model only allows known names, so this cannot miss). */
export function archOf(name: ArchName): Arch {
  const arch = ARCHES.get(name);
  if (!arch) throw new Error(`unknown arch ${name}`);
  return arch;
}

/** The syscall number of a name on an arch (`openat` → 257 on x86_64, `syscall_451` → 451), else `undefined`. */
export function syscallNumber(arch: Arch, name: string): number | undefined {
  if (Object.hasOwn(arch.syscalls, name)) return arch.syscalls[name];
  const m = /^syscall_(\d{1,4})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** A `did you mean` hint for a misspelt name, or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean \`${best}\`?)`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** An error message for an unknown syscall name, or `undefined` when the name is fine. */
export function checkSyscallName(arch: Arch, name: string): string | undefined {
  if (syscallNumber(arch, name) !== undefined) return undefined;
  return `unknown syscall \`${name}\` for ${arch.name}${didYouMean(name, Object.keys(arch.syscalls))}`;
}

/** An error message for an unknown signal name (`"0"` is allowed where `allowZero`), or `undefined`. */
export function checkSignalName(name: string, allowZero = false): string | undefined {
  if (allowZero && name === '0') return undefined;
  if (signalNumber(name) !== undefined) return undefined;
  const hint = /^\d+$/.test(name)
    ? ' (signals are written by name, e.g. `SIGUSR1`)'
    : didYouMean(name, [...SIGNALS.keys(), 'SIGRTMIN']);
  return `unknown signal \`${name}\`${hint}`;
}

/** An error message for an unknown errno name, or `undefined`. */
export function checkErrnoName(name: string): string | undefined {
  if (errnoNumber(name) !== undefined) return undefined;
  return `unknown errno \`${name}\`${didYouMean(name, Object.keys(ERRNO))}`;
}
