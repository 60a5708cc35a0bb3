/* exec_chain N: execs itself N more times, then exits 7. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n <= 0) return 7;
  char next[16];
  snprintf(next, sizeof next, "%d", n - 1);
  char *args[] = {argv[0], next, NULL};
  execv("/proc/self/exe", args);
  return 1;
}
