/*
 * C witnesses of the IPC chapter: the kernel facts under a pipe between processes. Test names
 * start with the rule id (PIPE_1_...).
 */
#include "witness.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

/* Verify that a socket pair is a two-way channel: each end reads what the other wrote. */
static void PIPE_1_socketpair_carries_both_ways(void **state) {
    (void)state;
    int ends[2];
    SAFE(socketpair(AF_UNIX, SOCK_STREAM, 0, ends));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(ends[0]);
        int value = 0;
        if (!read_full(ends[1], &value, sizeof value)) _exit(125);
        write_int(ends[1], value * 2);
        _exit(0);
    }
    close(ends[1]);
    write_int(ends[0], 21);
    assert_int_equal(read_int(ends[0]), 42);
    assert_int_equal(reap(pid), 0);
    close(ends[0]);
}

/* Verify that writes of at most PIPE_BUF bytes are atomic: two children each write 1000 blocks
   of PIPE_BUF bytes of their own letter, and every block the parent reads is one letter. */
static void PIPE_3_small_writes_are_never_interleaved(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe(ends));
    pid_t writers[2];
    for (int i = 0; i < 2; i++) {
        writers[i] = safe_fork();
        if (writers[i] == 0) {
            close(ends[0]);
            char block[PIPE_BUF];
            memset(block, 'a' + i, sizeof block);
            for (int n = 0; n < 1000; n++) {
                if (write(ends[1], block, sizeof block) != (ssize_t)sizeof block) _exit(125);
            }
            _exit(0);
        }
    }
    close(ends[1]);
    char block[PIPE_BUF];
    int blocks = 0;
    while (read_full(ends[0], block, sizeof block)) {
        for (size_t k = 1; k < sizeof block; k++) assert_int_equal(block[k], block[0]);
        blocks++;
    }
    assert_int_equal(blocks, 2000);
    for (int i = 0; i < 2; i++) assert_int_equal(reap(writers[i]), 0);
    close(ends[0]);
}

/* Verify that a pipe holds far less than 16 MiB (F_GETPIPE_SZ: 64 KiB with 4 KiB pages) and that a
   16 MiB write from a child arrives whole while the parent reads. */
static void PIPE_4_a_write_larger_than_the_pipe_arrives_whole(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe(ends));
    size_t size = 16u << 20;
    int capacity = fcntl(ends[1], F_GETPIPE_SZ);
    assert_true(capacity >= PIPE_BUF && (size_t)capacity < size);
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(ends[0]);
        char *data = malloc(size);
        if (data == NULL) _exit(125);
        for (size_t i = 0; i < size; i++) data[i] = (char)(i >> 20);
        size_t written = 0;
        while (written < size) {
            ssize_t n = write(ends[1], data + written, size - written);
            if (n <= 0) _exit(126);
            written += (size_t)n;
        }
        _exit(0);
    }
    close(ends[1]);
    char *got = malloc(size);
    assert_non_null(got);
    assert_true(read_full(ends[0], got, size));
    for (size_t i = 0; i < size; i += 4096) assert_int_equal(got[i], (char)(i >> 20));
    char extra;
    assert_int_equal(read(ends[0], &extra, 1), 0);
    free(got);
    assert_int_equal(reap(pid), 0);
    close(ends[0]);
}

/* Verify that a reader sees end of file (read returns 0, poll reports POLLHUP) only once every
   copy of the write end is closed, and only after the data written before. */
static void PIPE_5_end_of_file_after_every_writer_closed(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe(ends));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(ends[0]);
        write_int(ends[1], 7);
        _exit(0);
    }
    assert_int_equal(read_int(ends[0]), 7);
    assert_int_equal(reap(pid), 0);
    /* The parent's own copy of the write end is still open: no end of file yet. */
    struct pollfd entry = {.fd = ends[0], .events = POLLIN};
    assert_int_equal(poll(&entry, 1, 0), 0);
    close(ends[1]);
    assert_int_equal(poll(&entry, 1, 0), 1);
    assert_true(entry.revents & POLLHUP);
    char byte;
    assert_int_equal(read(ends[0], &byte, 1), 0);
    close(ends[0]);
}

/* Verify what writing with no reader left does: SIGPIPE kills the writer by default; with
   SIGPIPE ignored, write fails with EPIPE; send(MSG_NOSIGNAL) on a socket fails with EPIPE and
   raises no signal even with the default disposition. */
static void PIPE_8_writing_to_a_closed_reader(void **state) {
    (void)state;
    int ends[2];
    SAFE(pipe(ends));
    close(ends[0]);
    pid_t pid = safe_fork();
    if (pid == 0) {
        (void)!write(ends[1], "x", 1);
        _exit(0);
    }
    int status = reap(pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGPIPE);

    pid = safe_fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        _exit(write(ends[1], "x", 1) == -1 && errno == EPIPE ? 0 : 1);
    }
    assert_int_equal(reap(pid), 0);
    close(ends[1]);

    int pair[2];
    SAFE(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    close(pair[1]);
    pid = safe_fork();
    if (pid == 0) {
        _exit(send(pair[0], "x", 1, MSG_NOSIGNAL) == -1 && errno == EPIPE ? 0 : 1);
    }
    assert_int_equal(reap(pid), 0);
    close(pair[0]);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(PIPE_1_socketpair_carries_both_ways),
        cmocka_unit_test(PIPE_3_small_writes_are_never_interleaved),
        cmocka_unit_test(PIPE_4_a_write_larger_than_the_pipe_arrives_whole),
        cmocka_unit_test(PIPE_5_end_of_file_after_every_writer_closed),
        cmocka_unit_test(PIPE_8_writing_to_a_closed_reader),
    };
    return cmocka_run_group_tests_name("ipc", tests, NULL, NULL);
}
