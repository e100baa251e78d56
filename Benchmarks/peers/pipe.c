/* The C peer of the pipe benchmarks: raw pipe(2), write(2) and read(2) from a forked child to the
 * parent, no framing.
 *
 *     pipe small N   N writes of 8 bytes, each read on its own: prints messages per second
 *     pipe large N   N writes of 64 KiB, read whole: prints megabytes (10^6 bytes) per second
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int read_full(int fd, char *buffer, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buffer + got, size - got);
        if (n <= 0) return 0;
        got += (size_t)n;
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3) return 64;
    int small = strcmp(argv[1], "small") == 0;
    long count = atol(argv[2]);
    size_t size = small ? 8 : 65536;
    char *block = calloc(1, size);
    int ends[2];
    if (block == NULL || pipe(ends) != 0) return 1;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid == 0) {
        close(ends[0]);
        for (long i = 0; i < count; i++) {
            memcpy(block, &i, sizeof i);
            size_t written = 0;
            while (written < size) {
                ssize_t n = write(ends[1], block + written, size - written);
                if (n <= 0) _exit(1);
                written += (size_t)n;
            }
        }
        _exit(0);
    }
    close(ends[1]);
    for (long i = 0; i < count; i++) {
        long got;
        if (!read_full(ends[0], block, size)) return 1;
        memcpy(&got, block, sizeof got);
        if (got != i) return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    int status;
    waitpid(pid, &status, 0);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%f\n", small ? (double)count / seconds : (double)count * (double)size / seconds / 1e6);
    return 0;
}
