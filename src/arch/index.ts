/**
 * Architecture facts shared by the compiler and the runtime: system call tables, signal numbers, register layouts
 * and the syscall calling convention. Data only, so the runtime can import it without importing the compiler.
 */
import { AARCH64_SYSCALLS } from './syscalls-aarch64.js';
import { X86_64_SYSCALLS } from './syscalls-x86_64.js';

export * from './errno.js';
export * from './signals.js';

export const ARCH_NAMES = ['x86_64', 'aarch64'] as const;
export type ArchName = (typeof ARCH_NAMES)[number];

/** Everything that differs between architectures, in one place, so no module hard-codes x86_64. */
export interface Arch {
  readonly name: ArchName;
  /** System call name → number. */
  readonly syscalls: Readonly<Record<string, number>>;
  /** System call number → name. */
  readonly syscallNames: ReadonlyMap<number, string>;
  /** General-purpose registers in the order of the kernel's `user_regs_struct` (what PTRACE_GETREGS fills). */
  readonly registers: readonly string[];
  readonly pc: string;
  readonly sp: string;
  /** Where the syscall number, its six arguments and its return value live on entry/exit. */
  readonly syscallNr: string;
  readonly syscallArgs: readonly [string, string, string, string, string, string];
  readonly syscallRet: string;
}

function invert(table: Readonly<Record<string, number>>): ReadonlyMap<number, string> {
  return new Map(Object.entries(table).map(([name, nr]) => [nr, name]));
}

export const X86_64: Arch = {
  name: 'x86_64',
  syscalls: X86_64_SYSCALLS,
  syscallNames: invert(X86_64_SYSCALLS),
  registers: [
    'r15',
    'r14',
    'r13',
    'r12',
    'rbp',
    'rbx',
    'r11',
    'r10',
    'r9',
    'r8',
    'rax',
    'rcx',
    'rdx',
    'rsi',
    'rdi',
    'orig_rax',
    'rip',
    'cs',
    'eflags',
    'rsp',
    'ss',
    'fs_base',
    'gs_base',
    'ds',
    'es',
    'fs',
    'gs',
  ],
  pc: 'rip',
  sp: 'rsp',
  syscallNr: 'orig_rax',
  syscallArgs: ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'],
  syscallRet: 'rax',
};

export const AARCH64: Arch = {
  name: 'aarch64',
  syscalls: AARCH64_SYSCALLS,
  syscallNames: invert(AARCH64_SYSCALLS),
  registers: [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'],
  pc: 'pc',
  sp: 'sp',
  syscallNr: 'x8',
  syscallArgs: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'],
  syscallRet: 'x0',
};

/** Every architecture by name; a `Record` so that adding a name to `ARCH_NAMES` without its tables fails to compile. */
const BY_NAME: Readonly<Record<ArchName, Arch>> = { x86_64: X86_64, aarch64: AARCH64 };

/** Every architecture by name. */
export const ARCHES: ReadonlyMap<ArchName, Arch> = new Map(ARCH_NAMES.map((name) => [name, BY_NAME[name]]));

/** The tables of a named architecture: every `ArchName` has them, so callers need no fallback. */
export function archOf(name: ArchName): Arch {
  return BY_NAME[name];
}

/** Whether `name` is an architecture utrc knows. */
export function isArchName(name: string): name is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(name);
}

/** The name of a syscall number on an architecture, or `syscall_N` when the table has none. */
export function syscallName(arch: Arch, nr: number): string {
  return arch.syscallNames.get(nr) ?? `syscall_${nr}`;
}
