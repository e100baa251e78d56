/* partial-tap: prints the start of a cmocka TAP report (a plan of 2, one passing test) and dies by
   SIGSEGV, as a C witness binary that crashes midway would. */
#include <signal.h>
#include <stdio.h>

int main(void) {
    printf("1..2\nok 1 - FORK_1_a\n");
    fflush(stdout);
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
    return 0;
}
