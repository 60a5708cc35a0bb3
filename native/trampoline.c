/*
 * utrc-trampoline: the first program a traced command runs.
 *
 * The tracer (a worker thread of a multi-threaded Node process) cannot safely run arbitrary code between fork and
 * exec, so it posix_spawn()s this small single-threaded program instead, which then prepares the process the way
 * the command expects to start and hands control to the tracer before the command's first instruction:
 *
 *   1. resolve CMD on PATH, so "command not found" is reported to the tracer before anything is traced;
 *   2. restore default signal dispositions and an empty signal mask (Node ignores SIGPIPE and SIGXFSZ, and a
 *      spawned child inherits ignored dispositions);
 *   3. clear close-on-exec on fds 0-2 (Node marks its stdio close-on-exec);
 *   4. stop itself with SIGSTOP; the tracer waits for that stop, PTRACE_SEIZEs the process and sends SIGCONT;
 *   5. when asked (-s), install a seccomp-bpf filter that returns SECCOMP_RET_TRACE for the listed syscall numbers
 *      and allows the rest. This happens after the handshake on purpose: a RET_TRACE syscall made while nobody
 *      traces the process fails with ENOSYS, so the handshake itself must not be filtered;
 *   6. execve the command. The first syscall the tracer sees is that execve, as with strace.
 *
 * Failures before the handshake are written to the error pipe (-e FD) as two ints, {stage, errno}, and the
 * program exits with 127; the tracer turns them into a clear message. After the handshake the tracer is already
 * following the process (and has closed the pipe), so an execve failure is printed here, like a shell does, and
 * the exit status is 126 or 127.
 *
 * Usage: utrc-trampoline [-e ERRFD] [-s NR,NR,...] -- CMD [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Failure stages reported through the error pipe; keep in sync with src/runtime/linux/spawn.ts. */
enum stage { STAGE_USAGE = 1, STAGE_RESOLVE = 2 };

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "utrc-trampoline: unsupported architecture"
#endif

#define MAX_FILTERED 1024

extern char **environ;
static int err_fd = -1;

static void fail(int stage, int err) {
  if (err_fd >= 0) {
    int msg[2] = {stage, err};
    ssize_t ignored = write(err_fd, msg, sizeof msg);
    (void)ignored;
  }
  _exit(127);
}

/* True if PATH names an existing regular file; *err gets EACCES when it exists but is not executable. */
static int usable(const char *path, int *err) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
  if (access(path, X_OK) != 0) {
    *err = EACCES;
    return 0;
  }
  return 1;
}

/* execvp's search, done before the handshake so that only one execve is left to trace. */
static const char *resolve(const char *cmd, char *buf, size_t size) {
  int err = ENOENT;
  if (strchr(cmd, '/') != NULL) {
    if (usable(cmd, &err)) return cmd;
    fail(STAGE_RESOLVE, err);
  }
  const char *path = getenv("PATH");
  if (path == NULL || *path == '\0') path = "/usr/local/bin:/usr/bin:/bin";
  for (const char *p = path;; p++) {
    const char *end = strchrnul(p, ':');
    size_t dirlen = (size_t)(end - p);
    /* An empty PATH element means the current directory, as in execvp. */
    int n = dirlen == 0 ? snprintf(buf, size, "%s", cmd) : snprintf(buf, size, "%.*s/%s", (int)dirlen, p, cmd);
    if (n > 0 && (size_t)n < size && usable(buf, &err)) return buf;
    if (*end == '\0') break;
    p = end;
  }
  fail(STAGE_RESOLVE, err);
  return NULL;
}

static int parse_syscalls(const char *list, unsigned *out) {
  int n = 0;
  for (const char *p = list; *p != '\0';) {
    char *end;
    unsigned long nr = strtoul(p, &end, 10);
    if (end == p || n >= MAX_FILTERED || nr > 0xffff) fail(STAGE_USAGE, EINVAL);
    out[n++] = (unsigned)nr;
    p = *end == ',' ? end + 1 : end;
    if (*end != ',' && *end != '\0') fail(STAGE_USAGE, EINVAL);
  }
  return n;
}

/* Trace the listed syscalls, allow the rest; a syscall of a foreign ABI (i386 on x86_64) is always traced. */
static void install_filter(const unsigned *nrs, int count) {
  static struct sock_filter prog[4 + 2 * MAX_FILTERED + 1];
  int i = 0;
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0);
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* Pairs of (compare, return) keep every jump offset at 0 or 1, whatever the list's length. */
  for (int k = 0; k < count; k++) {
    prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[k], 0, 1);
    prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
  }
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog fprog = {.len = (unsigned short)i, .filter = prog};
  /* Root may install a filter without no_new_privs; anyone else must set it first (setuid programs then run
     without their privileges, as under strace --seccomp-bpf). */
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0) return;
  if (errno == EACCES && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0)
    return;
  int err = errno;
  fprintf(stderr, "utrc: cannot install the seccomp filter: %s\n", strerror(err));
  _exit(127);
}

int main(int argc, char **argv) {
  static unsigned nrs[MAX_FILTERED];
  int filtered = -1;
  int i = 1;
  for (; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
      err_fd = atoi(argv[++i]);
      fcntl(err_fd, F_SETFD, FD_CLOEXEC);
    } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
      filtered = parse_syscalls(argv[++i], nrs);
    } else {
      fail(STAGE_USAGE, EINVAL);
    }
  }
  if (i >= argc) fail(STAGE_USAGE, EINVAL);
  char **cmd = &argv[i];

  static char buf[PATH_MAX];
  const char *path = resolve(cmd[0], buf, sizeof buf);

  for (int sig = 1; sig < NSIG; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL); /* 32 and 33 fail harmlessly */
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }

  /* The handshake: one raw kill syscall, so nothing else runs between the stop and the execve. */
  syscall(SYS_kill, getpid(), SIGSTOP);

  if (filtered >= 0) install_filter(nrs, filtered);

  execve(path, cmd, environ);
  /* The tracer closed its end of the error pipe after the handshake: say it here, as a shell would. */
  int err = errno;
  fprintf(stderr, "utrc: cannot execute %s: %s\n", cmd[0], strerror(err));
  _exit(err == ENOENT ? 127 : 126);
}
