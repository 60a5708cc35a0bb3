/* busy N: N getpid() calls and N one-byte writes to /dev/null, then prints the last getpid() result. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  int fd = open("/dev/null", O_WRONLY);
  long pid = 0;
  for (long i = 0; i < n; i++) {
    pid = syscall(SYS_getpid); /* the raw syscall: glibc does not cache getpid, but be explicit */
    if (write(fd, "x", 1) != 1) return 1;
  }
  close(fd);
  printf("pid=%ld\n", pid);
  return 0;
}
