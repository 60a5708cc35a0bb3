/**
 * Numbers from the Linux user API (`<sys/ptrace.h>`, `<linux/ptrace.h>`, `<sys/wait.h>`, `<linux/elf.h>`) that
 * the ptrace layer uses. They are the same on every architecture Linux supports, except the few marked otherwise.
 */
import { signalNumber } from '../../arch/signals.js';

/** `ptrace(2)` requests. */
export const PTRACE = {
  PEEKUSER: 3,
  CONT: 7,
  KILL: 8,
  SINGLESTEP: 9,
  DETACH: 17,
  SYSCALL: 24,
  /** x86 only: resume until the next branch (block step). */
  SINGLEBLOCK: 33,
  SETOPTIONS: 0x4200,
  GETEVENTMSG: 0x4201,
  GETSIGINFO: 0x4202,
  GETREGSET: 0x4204,
  SETREGSET: 0x4205,
  SEIZE: 0x4206,
  INTERRUPT: 0x4207,
  LISTEN: 0x4208,
  GET_SYSCALL_INFO: 0x420e,
} as const;

/** `PTRACE_O_*` options given to `PTRACE_SEIZE`. */
export const PTRACE_O = {
  TRACESYSGOOD: 0x1,
  TRACEFORK: 0x2,
  TRACEVFORK: 0x4,
  TRACECLONE: 0x8,
  TRACEEXEC: 0x10,
  TRACEVFORKDONE: 0x20,
  TRACEEXIT: 0x40,
  TRACESECCOMP: 0x80,
  EXITKILL: 0x100000,
} as const;

/** `PTRACE_EVENT_*`: the event number in bits 16-23 of a stop's wait status. */
export const PTRACE_EVENT = {
  FORK: 1,
  VFORK: 2,
  CLONE: 3,
  EXEC: 4,
  VFORK_DONE: 5,
  EXIT: 6,
  SECCOMP: 7,
  STOP: 128,
} as const;

/** `PTRACE_SYSCALL_INFO_*`: the `op` byte of `struct ptrace_syscall_info`. */
export const SYSCALL_INFO_OP = { NONE: 0, ENTRY: 1, EXIT: 2, SECCOMP: 3 } as const;

/** `waitpid(2)` flags. */
export const WAIT = {
  WNOHANG: 1,
  WUNTRACED: 2,
  /** Wait only for children (and tracees) of the calling thread, not of the whole process. */
  WNOTHREAD: 0x20000000,
  /** Wait for every kind of child, clones included. */
  WALL: 0x40000000,
} as const;

/** `NT_PRSTATUS`: the general-purpose register set for `PTRACE_GETREGSET`. */
export const NT_PRSTATUS = 1;

/** `errno` values: the generic Linux numbering shared with the simulator (`src/arch/errno.ts`). */
export { ERRNO } from '../../arch/errno.js';

/** Signal numbers the layer itself relies on, from the one signal table (`src/arch/signals.ts`). */
export const SIG = {
  SIGKILL: signalNumber('SIGKILL'),
  SIGTRAP: signalNumber('SIGTRAP'),
  SIGCHLD: signalNumber('SIGCHLD'),
  SIGCONT: signalNumber('SIGCONT'),
  SIGSTOP: signalNumber('SIGSTOP'),
  SIGTSTP: signalNumber('SIGTSTP'),
  SIGTTIN: signalNumber('SIGTTIN'),
  SIGTTOU: signalNumber('SIGTTOU'),
} as const;
