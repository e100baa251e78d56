/*
 * C witnesses of the IPC chapter: the kernel facts under a pipe between processes. Test names
 * start with the rule id (PIPE_1_...).
 */
#include "witness.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <semaphore.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

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

/* An anonymous MAP_SHARED or MAP_PRIVATE mapping of `size` bytes, failing the test if mmap fails. */
static void *map_anonymous(size_t size, int sharing) {
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, sharing | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) fail_msg("mmap of %zu bytes failed: %s", size, strerror(errno));
    return map;
}

/* Verify that across fork a MAP_SHARED mapping is one memory and a MAP_PRIVATE one is a copy: the
   child's writes reach the parent only through the shared one, and so do the parent's writes made
   after fork reach a child. */
static void SHARED_4_shared_mapping_is_one_memory_private_one_a_copy(void **state) {
    (void)state;
    volatile int *shared = map_anonymous(sizeof(int), MAP_SHARED);
    volatile int *private = map_anonymous(sizeof(int), MAP_PRIVATE);
    *shared = 1;
    *private = 1;
    pid_t pid = safe_fork();
    if (pid == 0) {
        *shared = 2;
        *private = 2;
        _exit(0);
    }
    assert_int_equal(reap(pid), 0);
    assert_int_equal(*shared, 2);
    assert_int_equal(*private, 1);

    /* The other way: the parent writes after fork, then tells the child to look. */
    int go[2], seen[2];
    SAFE(pipe(go));
    SAFE(pipe(seen));
    pid = safe_fork();
    if (pid == 0) {
        close(go[1]);
        close(seen[0]);
        int token = 0;
        if (!read_full(go[0], &token, sizeof token)) _exit(125);
        write_int(seen[1], *shared);
        write_int(seen[1], *private);
        _exit(0);
    }
    close(go[0]);
    close(seen[1]);
    *shared = 3;
    *private = 3;
    write_int(go[1], 1);
    assert_int_equal(read_int(seen[0]), 3);
    assert_int_equal(read_int(seen[0]), 1);
    assert_int_equal(reap(pid), 0);
    close(go[1]);
    close(seen[0]);
    munmap((void *)shared, sizeof(int));
    munmap((void *)private, sizeof(int));
}

/* The POSIX shared memory name of SHARED_6, unique to this process. */
static void shared_6_name(char *name, size_t size) {
    snprintf(name, size, "/witness-SHARED_6-%d", (int)getpid());
}

/* Removes the name of SHARED_6 if a failed assertion left it behind. */
static int shared_6_teardown(void **state) {
    (void)state;
    char name[64];
    shared_6_name(name, sizeof name);
    shm_unlink(name);
    return 0;
}

/* Verify that shm_unlink removes only the name: shm_open then fails with ENOENT and /dev/shm has no
   entry, yet the mapping keeps the object, a child forked afterwards shares it, and O_CREAT|O_EXCL of
   the same name makes a fresh, zero-filled object. */
static void SHARED_6_unlinked_object_lives_on_in_its_mappings(void **state) {
    (void)state;
    char name[64], path[96];
    shared_6_name(name, sizeof name);
    snprintf(path, sizeof path, "/dev/shm%s", name);
    size_t size = (size_t)sysconf(_SC_PAGESIZE);
    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    SAFE(fd);
    SAFE(ftruncate(fd, (off_t)size));
    volatile int *old = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (old == MAP_FAILED) fail_msg("mmap failed: %s", strerror(errno));
    close(fd);
    *old = 42;
    SAFE(shm_unlink(name));

    errno = 0;
    assert_int_equal(shm_open(name, O_RDWR, 0), -1);
    assert_int_equal(errno, ENOENT);
    struct stat info;
    errno = 0;
    assert_int_equal(stat(path, &info), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(*old, 42);

    int seen[2];
    SAFE(pipe(seen));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(seen[0]);
        write_int(seen[1], *old);
        *old = 43;
        _exit(0);
    }
    close(seen[1]);
    assert_int_equal(read_int(seen[0]), 42);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(*old, 43);
    close(seen[0]);

    fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    SAFE(fd);
    SAFE(fstat(fd, &info));
    assert_int_equal(info.st_size, 0);
    SAFE(ftruncate(fd, (off_t)size));
    const unsigned char *fresh = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    if (fresh == MAP_FAILED) fail_msg("mmap failed: %s", strerror(errno));
    close(fd);
    for (size_t i = 0; i < size; i++) assert_int_equal(fresh[i], 0);
    assert_int_equal(*old, 43);
    munmap((void *)fresh, size);
    munmap((void *)old, size);
    SAFE(shm_unlink(name));
}

/* `deadline` is `milliseconds` after the present CLOCK_REALTIME time. */
static void realtime_after(struct timespec *deadline, long milliseconds) {
    SAFE(clock_gettime(CLOCK_REALTIME, deadline));
    deadline->tv_nsec += milliseconds * 1000000L;
    deadline->tv_sec += deadline->tv_nsec / 1000000000L;
    deadline->tv_nsec %= 1000000000L;
}

/* Whether `a` is at or after `b`. */
static int timespec_at_or_after(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* Verify that a process-shared semaphore at 0 lets nobody through (sem_trywait fails with EAGAIN,
   sem_timedwait fails with ETIMEDOUT only once its absolute CLOCK_REALTIME deadline has passed) and
   that one sem_post lets exactly one sem_trywait through, leaving the value 0 again. */
static void SEM_1_a_semaphore_at_zero_blocks_until_a_post(void **state) {
    (void)state;
    sem_t *sem = map_anonymous(sizeof(sem_t), MAP_SHARED);
    SAFE(sem_init(sem, 1, 0));
    errno = 0;
    assert_int_equal(sem_trywait(sem), -1);
    assert_int_equal(errno, EAGAIN);

    struct timespec deadline, now;
    realtime_after(&deadline, 50);
    int result;
    do {
        errno = 0;
        result = sem_timedwait(sem, &deadline);
    } while (result == -1 && errno == EINTR);
    SAFE(clock_gettime(CLOCK_REALTIME, &now));
    assert_int_equal(result, -1);
    assert_int_equal(errno, ETIMEDOUT);
    assert_true(timespec_at_or_after(&now, &deadline));

    int value = -1;
    SAFE(sem_post(sem));
    SAFE(sem_getvalue(sem, &value));
    assert_int_equal(value, 1);
    assert_int_equal(sem_trywait(sem), 0);
    SAFE(sem_getvalue(sem, &value));
    assert_int_equal(value, 0);
    errno = 0;
    assert_int_equal(sem_trywait(sem), -1);
    assert_int_equal(errno, EAGAIN);
    SAFE(sem_destroy(sem));
    munmap(sem, sizeof(sem_t));
}

/* Verify that a process-shared semaphore has one count across fork: the parent's post is taken by
   the child's sem_trywait, after which both see 0. */
static void SEM_1_the_count_is_shared_across_fork(void **state) {
    (void)state;
    sem_t *sem = map_anonymous(sizeof(sem_t), MAP_SHARED);
    SAFE(sem_init(sem, 1, 0));
    SAFE(sem_post(sem));
    pid_t pid = safe_fork();
    if (pid == 0) {
        if (sem_trywait(sem) != 0) _exit(1);
        if (sem_trywait(sem) != -1 || errno != EAGAIN) _exit(2);
        _exit(0);
    }
    assert_int_equal(reap(pid), 0);
    int value = -1;
    SAFE(sem_getvalue(sem, &value));
    assert_int_equal(value, 0);
    SAFE(sem_destroy(sem));
    munmap(sem, sizeof(sem_t));
}

/* Kills and reaps the children, for a test that is about to fail while they may be blocked. */
static void kill_and_reap(const pid_t *children, int count) {
    for (int i = 0; i < count; i++) kill(children[i], SIGKILL);
    for (int i = 0; i < count; i++) reap(children[i]);
}

/* Verify that one sem_post wakes exactly one of two processes blocked in sem_wait: one reports,
   the value is back to 0 and the other still sleeps until a second post. */
static void SEM_2_a_post_wakes_exactly_one_waiter(void **state) {
    (void)state;
    sem_t *sem = map_anonymous(sizeof(sem_t), MAP_SHARED);
    SAFE(sem_init(sem, 1, 0));
    int ready[2], woken[2];
    SAFE(pipe(ready));
    SAFE(pipe(woken));
    pid_t children[2];
    for (int i = 0; i < 2; i++) {
        children[i] = safe_fork();
        if (children[i] == 0) {
            close(ready[0]);
            close(woken[0]);
            write_int(ready[1], i);
            int result;
            do {
                result = sem_wait(sem);
            } while (result == -1 && errno == EINTR);
            if (result != 0) _exit(125);
            write_int(woken[1], i);
            _exit(0);
        }
    }
    close(ready[1]);
    close(woken[1]);
    int reported = read_int(ready[0]) + read_int(ready[0]);
    assert_int_equal(reported, 0 + 1);

    /* Both said they are about to wait; wait until both sleep. */
    struct timespec start, now, pause = {.tv_sec = 0, .tv_nsec = 1000000L};
    SAFE(clock_gettime(CLOCK_MONOTONIC, &start));
    while (proc_state(children[0]) != 'S' || proc_state(children[1]) != 'S') {
        SAFE(clock_gettime(CLOCK_MONOTONIC, &now));
        if (now.tv_sec - start.tv_sec >= 10) {
            char states[2] = {proc_state(children[0]), proc_state(children[1])};
            kill_and_reap(children, 2);
            fail_msg("the waiters are not both asleep after 10 s (states %c and %c)",
                     states[0] ? states[0] : '-', states[1] ? states[1] : '-');
        }
        nanosleep(&pause, NULL);
    }

    SAFE(sem_post(sem));
    int first = read_int(woken[0]);
    assert_true(first == 0 || first == 1);
    int other = 1 - first;
    int value = -1;
    SAFE(sem_getvalue(sem, &value));
    char other_state = proc_state(children[other]);
    struct pollfd entry = {.fd = woken[0], .events = POLLIN};
    int pending = poll(&entry, 1, 0);
    if (value != 0 || other_state != 'S' || pending != 0) {
        kill_and_reap(children, 2);
        fail_msg("after one post: value %d, the other waiter in state %c, %d more report(s)", value,
                 other_state ? other_state : '-', pending);
    }

    SAFE(sem_post(sem));
    assert_int_equal(read_int(woken[0]), other);
    assert_int_equal(reap(children[0]), 0);
    assert_int_equal(reap(children[1]), 0);
    close(ready[0]);
    close(woken[0]);
    SAFE(sem_destroy(sem));
    munmap(sem, sizeof(sem_t));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(PIPE_1_socketpair_carries_both_ways),
        cmocka_unit_test(PIPE_3_small_writes_are_never_interleaved),
        cmocka_unit_test(PIPE_4_a_write_larger_than_the_pipe_arrives_whole),
        cmocka_unit_test(PIPE_5_end_of_file_after_every_writer_closed),
        cmocka_unit_test(PIPE_8_writing_to_a_closed_reader),
        cmocka_unit_test(SHARED_4_shared_mapping_is_one_memory_private_one_a_copy),
        cmocka_unit_test_teardown(SHARED_6_unlinked_object_lives_on_in_its_mappings, shared_6_teardown),
        cmocka_unit_test(SEM_1_a_semaphore_at_zero_blocks_until_a_post),
        cmocka_unit_test(SEM_1_the_count_is_shared_across_fork),
        cmocka_unit_test(SEM_2_a_post_wakes_exactly_one_waiter),
    };
    return cmocka_run_group_tests_name("ipc", tests, NULL, NULL);
}
