/* ticker N FILE: appends one line per 20 ms to FILE, N times, then exits 0 (a process that keeps running). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 50;
  int fd = open(argc > 2 ? argv[2] : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return 1;
  struct timespec tick = {0, 20 * 1000 * 1000};
  for (long i = 0; i < n; i++) {
    char line[32];
    int len = snprintf(line, sizeof line, "%ld\n", i);
    if (write(fd, line, (size_t)len) != len) return 1;
    nanosleep(&tick, NULL);
  }
  return 0;
}
