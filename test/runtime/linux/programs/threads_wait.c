/* threads_wait N FILE: three threads and the main thread each append a line to FILE every 20 ms, N times; exits 0. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static long n;
static int fd;

static void *tick(void *arg) {
  struct timespec t = {0, 20 * 1000 * 1000};
  for (long i = 0; i < n; i++) {
    char line[32];
    int len = snprintf(line, sizeof line, "%ld %ld\n", (long)arg, i);
    if (write(fd, line, (size_t)len) != len) exit(1);
    nanosleep(&t, NULL);
  }
  return NULL;
}

int main(int argc, char **argv) {
  n = argc > 1 ? atol(argv[1]) : 50;
  fd = open(argc > 2 ? argv[2] : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) return 1;
  pthread_t t[3];
  for (long i = 0; i < 3; i++) pthread_create(&t[i], NULL, tick, (void *)(i + 1));
  tick(0);
  for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
  return 0;
}
