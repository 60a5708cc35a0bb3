/**
 * Syscall sequences every dynamically linked x86_64 program makes, as recorded with `strace -f` on Debian 12
 * (glibc 2.36): the loader's start-up, glibc's exit. Built-in workloads compose these so their traces look like
 * real programs', not like toy loops.
 */
import { buf, str, struct, type ProgramBuilder } from './builder.js';

/** A shared library the loader maps: path and the sizes of its file and of its four segments. */
export interface SharedLibrary {
  readonly path: string;
  readonly fileSize: number;
  readonly mapSize: number;
  readonly base: bigint;
}

/** libc as this machine's loader maps it. */
export const LIBC: SharedLibrary = {
  path: '/lib/x86_64-linux-gnu/libc.so.6',
  fileSize: 1926232,
  mapSize: 1974096,
  base: 0x7f14b2c3a000n,
};
/** libselinux, which coreutils' `ls` links. */
export const LIBSELINUX: SharedLibrary = {
  path: '/lib/x86_64-linux-gnu/libselinux.so.1',
  fileSize: 174312,
  mapSize: 186064,
  base: 0x7f14b2e1c000n,
};
/** libpcre2, which libselinux links. */
export const LIBPCRE2: SharedLibrary = {
  path: '/lib/x86_64-linux-gnu/libpcre2-8.so.0',
  fileSize: 629384,
  mapSize: 627592,
  base: 0x7f14b2ba0000n,
};

const ELF_HEADER = '7f454c4602010103000000000000000003003e0001000000';
const LD_CACHE_SIZE = 34547;
const LD_CACHE_MAP = 0x7f14b2e4a000n;

/** The dynamic loader's start-up up to `main`: ld.so.cache, each library mapped, TLS, rseq, RELRO, stack limit. */
export function loaderStartup(p: ProgramBuilder, libs: readonly SharedLibrary[] = [LIBC]): ProgramBuilder {
  p.syscall('brk', 0).returns(0x55e64f68a000n);
  p.syscall('mmap', 0, 8192, 'PROT_READ|PROT_WRITE', 'MAP_PRIVATE|MAP_ANONYMOUS', -1, 0).returns(0x7f14b2e53000n);
  p.syscall('access', str('/etc/ld.so.preload'), 'R_OK').fails('ENOENT');
  p.syscall('openat', 'AT_FDCWD', str('/etc/ld.so.cache'), 'O_RDONLY|O_CLOEXEC').returns(3);
  p.syscall(
    'newfstatat',
    3,
    str(''),
    struct(`{st_mode=S_IFREG|0644, st_size=${LD_CACHE_SIZE}, ...}`, 144),
    'AT_EMPTY_PATH',
  );
  p.syscall('mmap', 0, LD_CACHE_SIZE, 'PROT_READ', 'MAP_PRIVATE', 3, 0).returns(LD_CACHE_MAP);
  p.syscall('close', 3);
  for (const lib of libs) {
    p.syscall('openat', 'AT_FDCWD', str(lib.path), 'O_RDONLY|O_CLOEXEC').returns(3);
    p.syscall('read', 3, buf(832, Buffer.from(ELF_HEADER, 'hex')), 832).returns(832);
    p.syscall(
      'newfstatat',
      3,
      str(''),
      struct(`{st_mode=S_IFREG|0755, st_size=${lib.fileSize}, ...}`, 144),
      'AT_EMPTY_PATH',
    );
    p.syscall('mmap', 0, lib.mapSize, 'PROT_READ', 'MAP_PRIVATE|MAP_DENYWRITE', 3, 0).returns(lib.base);
    const text = Math.floor((lib.mapSize * 0.7) / 4096) * 4096;
    p.syscall(
      'mmap',
      lib.base + 0x26000n,
      text,
      'PROT_READ|PROT_EXEC',
      'MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE',
      3,
      0x26000,
    ).returns(lib.base + 0x26000n);
    p.syscall(
      'mmap',
      lib.base + 0x26000n + BigInt(text),
      24576,
      'PROT_READ|PROT_WRITE',
      'MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE',
      3,
      0x1cf000,
    ).returns(lib.base + 0x26000n + BigInt(text));
    p.syscall('close', 3);
  }
  p.syscall('mmap', 0, 12288, 'PROT_READ|PROT_WRITE', 'MAP_PRIVATE|MAP_ANONYMOUS', -1, 0).returns(0x7f14b2b9d000n);
  p.syscall('arch_prctl', 'ARCH_SET_FS', 0x7f14b2b9d740n);
  p.syscall('set_tid_address', 0x7f14b2b9da10n).auto();
  p.syscall('set_robust_list', 0x7f14b2b9da20n, 24);
  p.syscall('rseq', 0x7f14b2b9e060n, 0x20, 0, 0x53053053);
  for (const lib of libs) p.syscall('mprotect', lib.base + 0x1cf000n, 16384, 'PROT_READ');
  p.syscall('mprotect', 0x55e62bbbf000n, 4096, 'PROT_READ');
  p.syscall('mprotect', 0x7f14b2e8e000n, 8192, 'PROT_READ');
  p.syscall('prlimit64', 0, 'RLIMIT_STACK', 0, struct('{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}', 16));
  p.syscall('munmap', LD_CACHE_MAP, LD_CACHE_SIZE);
  return p;
}

/** glibc's malloc arena set-up on first use: a random canary, then growing the heap. */
export function mallocInit(p: ProgramBuilder): ProgramBuilder {
  p.syscall('getrandom', buf(8), 8, 'GRND_NONBLOCK').returns(8);
  p.syscall('brk', 0).returns(0x55e64f68a000n);
  p.syscall('brk', 0x55e64f6ab000n).returns(0x55e64f6ab000n);
  return p;
}

/** `/bin/true` after exec: the loader's start-up and `exit_group(0)`. */
export function trueProgram(p: ProgramBuilder): ProgramBuilder {
  return loaderStartup(p).exit(0);
}
