/**
 * What the ptrace layer needs to know about a CPU architecture beyond the shared tables in `src/arch`: the byte
 * layout of the `NT_PRSTATUS` register set, the audit architecture the kernel tags syscalls with, and how to
 * change a syscall's number (to skip it). Only this file and the tables know register names.
 */
import { AARCH64, X86_64 } from '../../arch/index.js';
import type { Arch } from '../../arch/index.js';

/** General-purpose registers by name (the names of `Arch.registers`), as unsigned 64-bit values. */
export type Registers = Record<string, bigint>;

/** The Linux-specific facts of one architecture. */
export interface LinuxArch {
  /** The shared table: syscall numbers, register names, calling convention. */
  readonly arch: Arch;
  /** `AUDIT_ARCH_*`: what `PTRACE_GET_SYSCALL_INFO` reports for a native syscall. */
  readonly auditArch: number;
  /** Size in bytes of `struct user_regs_struct` (every register is 8 bytes, in `arch.registers` order). */
  readonly regsetSize: number;
  /**
   * The regset that holds the syscall number when it is not a register of `NT_PRSTATUS` (arm64's
   * `NT_ARM_SYSTEM_CALL`); undefined when writing `arch.syscallNr` in the register set is enough (x86_64's
   * `orig_rax`).
   */
  readonly syscallNrRegset?: number;
  /** Whether `PTRACE_SINGLEBLOCK` exists (x86 only). */
  readonly hasBlockStep: boolean;
}

/** `AUDIT_ARCH_X86_64` = EM_X86_64 | 64-bit | little-endian. */
const AUDIT_ARCH_X86_64 = 0xc000003e;
/** `AUDIT_ARCH_AARCH64` = EM_AARCH64 | 64-bit | little-endian. */
const AUDIT_ARCH_AARCH64 = 0xc00000b7;

/** x86_64: `struct user_regs_struct` is 27 registers; `orig_rax` holds the syscall number at a syscall stop. */
export const LINUX_X86_64: LinuxArch = {
  arch: X86_64,
  auditArch: AUDIT_ARCH_X86_64,
  regsetSize: X86_64.registers.length * 8,
  hasBlockStep: true,
};

/** arm64: `struct user_pt_regs` is x0-x30, sp, pc, pstate; the syscall number is changed via NT_ARM_SYSTEM_CALL. */
export const LINUX_AARCH64: LinuxArch = {
  arch: AARCH64,
  auditArch: AUDIT_ARCH_AARCH64,
  regsetSize: AARCH64.registers.length * 8,
  syscallNrRegset: 0x404,
  hasBlockStep: false,
};

/** The architecture this process runs on, or an error naming it when the backend does not support it. */
export function hostArch(): LinuxArch {
  switch (process.arch) {
    case 'x64':
      return LINUX_X86_64;
    case 'arm64':
      return LINUX_AARCH64;
    default:
      throw new Error(`tracing real processes is not supported on ${process.arch} yet (x86_64 and arm64 are)`);
  }
}

/** Reads a register set laid out as `linuxArch.arch.registers`, 8 bytes each, little-endian. */
export function decodeRegisters(linuxArch: LinuxArch, view: DataView): Registers {
  const regs: Registers = {};
  const names = linuxArch.arch.registers;
  for (let i = 0; i < names.length; i++) regs[names[i] as string] = view.getBigUint64(i * 8, true);
  return regs;
}

/**
 * Writes the given registers into a register set buffer that already holds the current values (so registers
 * left out keep them). Negative values are stored in two's complement, so `-1n` means all ones.
 */
export function encodeRegisters(linuxArch: LinuxArch, view: DataView, regs: Partial<Registers>): void {
  const names = linuxArch.arch.registers;
  for (const [name, value] of Object.entries(regs)) {
    if (value === undefined) continue;
    const index = names.indexOf(name);
    if (index < 0) throw new Error(`\`${name}\` is not a register of ${linuxArch.arch.name}`);
    view.setBigUint64(index * 8, BigInt.asUintN(64, value), true);
  }
}
