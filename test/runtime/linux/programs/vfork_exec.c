/* vfork()s a child that execs ARGV[1] (a program that exits 7); exits with the child's status. */
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  pid_t child = vfork();
  if (child == 0) {
    execv(argv[1], &argv[1]);
    _exit(127);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
