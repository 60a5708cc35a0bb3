/* A second thread execs ARGV[1] (ARGV[2]...) while the main thread sleeps: the exec'ing thread takes the leader's id. */
#include <pthread.h>
#include <unistd.h>

static char **args;

static void *run(void *unused) {
  (void)unused;
  execv(args[0], args);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  args = &argv[1];
  pthread_t t;
  pthread_create(&t, NULL, run, NULL);
  for (;;) pause();
}
