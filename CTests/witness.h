/*
 * Shared helpers of the cmocka witnesses, in the style of LTP's SAFE_* macros: setup that must not
 * fail aborts the test loudly with a message starting "BROKEN: " (LTP's TBROK: the test's own setup
 * failed, which says nothing about the rule), so assertions sit only on the behaviour under test.
 * A test whose rule this machine cannot check calls cmocka's skip() (unsupported).
 *
 * A test that forks never calls a cmocka assertion in the child: the child reports through a pipe
 * or its exit code, and the parent asserts.
 */
#ifndef WITNESS_H
#define WITNESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define SAFE(call)                                                                        \
    do {                                                                                  \
        if ((call) == -1) {                                                               \
            fail_msg("BROKEN: %s:%d: %s failed: %s", __FILE__, __LINE__, #call, strerror(errno));  \
        }                                                                                 \
    } while (0)

/* fork(2) that fails the test instead of returning -1. */
static inline pid_t safe_fork(void) {
    pid_t pid = fork();
    if (pid == -1) fail_msg("BROKEN: fork failed: %s", strerror(errno));
    return pid;
}

/* Reads exactly `size` bytes; returns 0 at end of file before that, 1 otherwise. */
static inline int read_full(int fd, void *buffer, size_t size) {
    size_t got = 0;
    while (got < size) {
        ssize_t count = read(fd, (char *)buffer + got, size - got);
        if (count == -1 && errno == EINTR) continue;
        if (count <= 0) return 0;
        got += (size_t)count;
    }
    return 1;
}

/* Writes an int in one call (below PIPE_BUF, so never split). */
static inline void write_int(int fd, int value) {
    if (write(fd, &value, sizeof value) != sizeof value) _exit(126);
}

/* Reads an int written by write_int, failing the test at end of file. */
static inline int read_int(int fd) {
    int value = 0;
    if (!read_full(fd, &value, sizeof value)) fail_msg("the other process ended without reporting");
    return value;
}

/* waitpid(pid, &status, 0), retrying EINTR; returns the status word. */
static inline int reap(pid_t pid) {
    int status = 0;
    pid_t got;
    do {
        got = waitpid(pid, &status, 0);
    } while (got == -1 && errno == EINTR);
    if (got != pid) fail_msg("waitpid(%d) returned %d: %s", (int)pid, (int)got, strerror(errno));
    return status;
}

/* Reads the state letter and the parent of /proc/<pid>/stat (the fields after the LAST ')', since
   the name in parentheses may contain anything); returns 0 when the process is gone. */
static inline int read_stat(pid_t pid, char *state, int *parent) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) return 0;
    size_t count = fread(line, 1, sizeof line - 1, file);
    fclose(file);
    line[count] = 0;
    char *close = strrchr(line, ')');
    return close != NULL && sscanf(close + 1, " %c %d", state, parent) == 2;
}

/* The state letter of /proc/<pid>/stat, or 0 when the process is gone. */
static inline char proc_state(pid_t pid) {
    char state = 0;
    int parent = 0;
    return read_stat(pid, &state, &parent) ? state : 0;
}

/* The parent pid in /proc/<pid>/stat, or 0 when the process is gone. */
static inline int proc_parent(pid_t pid) {
    char state = 0;
    int parent = 0;
    return read_stat(pid, &state, &parent) ? parent : 0;
}

/* Polls until `pid` is in one of `states`, or gone when `accept_gone`; returns the state or 0. */
static inline char await_state(pid_t pid, const char *states, int accept_gone) {
    for (;;) {
        char state = proc_state(pid);
        if (state == 0 && accept_gone) return 0;
        if (state != 0 && strchr(states, state) != NULL) return state;
        usleep(1000);
    }
}

#endif
