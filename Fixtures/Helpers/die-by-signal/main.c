/* die-by-signal N: ends by signal N (default SIGSEGV), with the default disposition restored first,
   as a runner that crashes would. */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int number = argc > 1 ? atoi(argv[1]) : SIGSEGV;
    signal(number, SIG_DFL);
    raise(number);
    _exit(0);
}
