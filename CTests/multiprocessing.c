/*
 * C witnesses of the multiprocessing chapter: the kernel facts under the process object and the
 * pool. Test names start with the rule id (PROCESS_4_...).
 */
#include "witness.h"

#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* A child blocked in pause() until a signal ends it. */
static pid_t paused_child(void) {
    pid_t pid = safe_fork();
    if (pid == 0) {
        for (;;) pause();
    }
    return pid;
}

/* Verify what the parent's waitpid sees for exit(3), SIGTERM and SIGKILL: the exit status, or
   the signal that Python's exitcode reports negated. */
static void PROCESS_4_exit_codes_and_signals_reach_the_parent(void **state) {
    (void)state;
    pid_t exiting = safe_fork();
    if (exiting == 0) exit(3);
    int status = reap(exiting);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);

    int signals[] = {SIGTERM, SIGKILL};
    for (size_t i = 0; i < 2; i++) {
        pid_t blocked = paused_child();
        SAFE(kill(blocked, signals[i]));
        status = reap(blocked);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), signals[i]);
    }
}

/* Verify that a child whose descriptor 0 is replaced by /dev/null reads end of file at once,
   although the parent's descriptor 0 is a pipe holding data. */
static void PROCESS_6_dev_null_stdin_reads_end_of_file(void **state) {
    (void)state;
    int input[2], report[2];
    SAFE(pipe(input));
    SAFE(pipe(report));
    SAFE(write(input[1], "typed\n", 6));
    int saved = dup(0);
    SAFE(saved);
    SAFE(dup2(input[0], 0));
    pid_t pid = safe_fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDONLY);
        if (null == -1 || dup2(null, 0) == -1) _exit(125);
        close(null);
        char byte;
        write_int(report[1], (int)read(0, &byte, 1));
        _exit(0);
    }
    SAFE(dup2(saved, 0));
    close(saved);
    close(report[1]);
    assert_int_equal(read_int(report[0]), 0);
    assert_int_equal(reap(pid), 0);
    /* The data is still there for the parent: the child never touched the pipe. */
    char line[8] = {0};
    assert_int_equal(read(input[0], line, sizeof line), 6);
    close(report[0]);
    close(input[0]);
    close(input[1]);
}

/* Verify that prctl(PR_SET_PDEATHSIG, SIGKILL) ends a grandchild when its parent is killed: the
   grandchild is adopted by this process (a subreaper) and reaped as killed by SIGKILL. */
static void PROCESS_9_parent_death_signal_ends_the_child(void **state) {
    (void)state;
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1));
    int report[2];
    SAFE(pipe(report));
    pid_t parent = safe_fork();
    if (parent == 0) {
        /* The grandchild reports to this process, which alone writes `report`: pid, then 1. */
        int armed[2];
        if (pipe(armed) == -1) _exit(125);
        pid_t creator = getpid();
        pid_t daemon = fork();
        if (daemon == 0) {
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1) _exit(125);
            if (getppid() != creator) raise(SIGKILL);   /* the parent was already gone */
            write_int(armed[1], 1);
            for (;;) pause();
        }
        int set = 0;
        if (daemon == -1 || !read_full(armed[0], &set, sizeof set)) _exit(125);
        write_int(report[1], daemon);
        write_int(report[1], set);
        for (;;) pause();
    }
    close(report[1]);
    pid_t daemon = read_int(report[0]);
    assert_int_equal(read_int(report[0]), 1);           /* the death signal is set */
    SAFE(kill(parent, SIGKILL));
    reap(parent);
    int status = reap(daemon);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    close(report[0]);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0));
}

/* Verify how a pool's owner learns that a worker died mid-task: the worker's pidfd (pidfd_open)
   does not poll readable while it runs, polls readable once it is killed, and waitpid then gives
   the signal. */
static void POOL_9_pidfd_reports_a_dead_worker(void **state) {
    (void)state;
    pid_t worker = paused_child();
    int pidfd = (int)syscall(SYS_pidfd_open, worker, 0);
    SAFE(pidfd);
    struct pollfd entry = {.fd = pidfd, .events = POLLIN};
    assert_int_equal(poll(&entry, 1, 0), 0);
    SAFE(kill(worker, SIGKILL));
    assert_int_equal(poll(&entry, 1, -1), 1);
    assert_true(entry.revents & POLLIN);
    int status = reap(worker);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    close(pidfd);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(PROCESS_4_exit_codes_and_signals_reach_the_parent),
        cmocka_unit_test(PROCESS_6_dev_null_stdin_reads_end_of_file),
        cmocka_unit_test(PROCESS_9_parent_death_signal_ends_the_child),
        cmocka_unit_test(POOL_9_pidfd_reports_a_dead_worker),
    };
    return cmocka_run_group_tests_name("multiprocessing", tests, NULL, NULL);
}
