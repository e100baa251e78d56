// The C peer of the coroutine switch benchmark: swapcontext(3) there and back between the main
// context and one made with makecontext. swapcontext also saves and restores the signal mask, a
// system call each way.
//
//     switch N   N round trips: prints nanoseconds per round trip
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <ucontext.h>

static ucontext_t main_context, partner_context;
static volatile long carried;

static void partner(void) {
    for (;;) swapcontext(&partner_context, &main_context);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: switch N\n");
        return 64;
    }
    long count = atol(argv[1]);
    static char stack[64 * 1024];
    getcontext(&partner_context);
    partner_context.uc_stack.ss_sp = stack;
    partner_context.uc_stack.ss_size = sizeof stack;
    partner_context.uc_link = NULL;
    makecontext(&partner_context, partner, 0);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        carried = i;
        swapcontext(&main_context, &partner_context);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double elapsed = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%f\n", elapsed / (double)count * 1e9);
    return 0;
}
