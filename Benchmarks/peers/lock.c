/* The C peer of the lock benchmark: pthread_mutex_lock and pthread_mutex_unlock of a free
 * mutex by one thread.
 *
 *     lock N   N lock + unlock pairs: prints pairs per second
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 2) return 64;
    long count = atol(argv[1]);
    pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        if (pthread_mutex_lock(&mutex) != 0) return 1;
        /* Keep the compiler from merging the pairs: the mutex is observed in between. */
        __asm__ __volatile__("" ::: "memory");
        pthread_mutex_unlock(&mutex);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%f\n", (double)count / seconds);
    return 0;
}
