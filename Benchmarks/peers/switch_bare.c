// The project's own stack switch with nothing around it: cs_coroutine_switch (Sources/CSystem)
// there and back between the main stack and one made with cs_coroutine_prepare, carrying a long
// each way through a global. What the Swift Coroutine adds on top of it (the greenlet API: a value
// of any type, errors, parents, the thread check) is the rest of the reference's figure.
//
//     switch_bare N   N round trips: prints nanoseconds per round trip
#include "../../Sources/CSystem/CoroutineSwitch.c"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void *main_stack, *partner_stack;
static volatile long carried;

static void partner(void *argument) {
    (void)argument;
    for (;;) {
        carried = carried + 1;
        cs_coroutine_switch(&partner_stack, main_stack);
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: switch_bare N\n");
        return 64;
    }
    long count = atol(argv[1]);
    static char stack[64 * 1024] __attribute__((aligned(16)));
    partner_stack = cs_coroutine_prepare(stack, sizeof stack, partner, NULL);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        carried = i;
        cs_coroutine_switch(&main_stack, partner_stack);
        if (carried != i + 1) {
            fprintf(stderr, "switch_bare: round trip %ld carried %ld\n", i, carried);
            return 1;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double elapsed = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%f\n", elapsed / (double)count * 1e9);
    return 0;
}
