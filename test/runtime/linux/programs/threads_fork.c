/* Two threads that each make syscalls, then a forked child that exits with status 3. Exits 0 if all went well. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *work(void *arg) {
  for (int i = 0; i < 10; i++) syscall(SYS_getppid);
  return arg;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, work, NULL);
  pthread_create(&b, NULL, work, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  pid_t child = fork();
  if (child == 0) {
    for (int i = 0; i < 5; i++) syscall(SYS_getppid);
    _exit(3);
  }
  int status = 0;
  if (waitpid(child, &status, 0) != child) return 1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : 2;
}
