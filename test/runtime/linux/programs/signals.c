/*
 * signals MODE:
 *   handler  raise SIGUSR1 three times with a handler installed, exit with the number of handler runs
 *   die      raise SIGTERM with the default disposition (killed by signal 15)
 *   stop     raise SIGSTOP (a job-control stop), then exit 5 once continued
 *   wait     install the SIGUSR1 handler, then make getppid calls until a handler ran, exit with the count
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t runs;
static void on_usr1(int sig) {
  (void)sig;
  runs++;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "handler";
  signal(SIGUSR1, on_usr1);
  if (strcmp(mode, "handler") == 0) {
    for (int i = 0; i < 3; i++) raise(SIGUSR1);
    return runs;
  }
  if (strcmp(mode, "die") == 0) {
    raise(SIGTERM);
    return 0;
  }
  if (strcmp(mode, "stop") == 0) {
    raise(SIGSTOP);
    return 5;
  }
  for (long i = 0; i < 100000000 && runs == 0; i++) syscall(SYS_getppid);
  return runs;
}
