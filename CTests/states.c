/*
 * C witnesses of the States chapter: each test checks, on the raw system calls and /proc, the kernel
 * fact behind the Swift rule of the same id. Test names start with the rule id (STATE_1_...).
 *
 * STATE-11 (statColumn agrees with ps), TREE-3 and TREE-4 (tree(of:) and render) are about the Swift
 * API's own output and have no C witness.
 */
#include "witness.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <time.h>

/* proc(5)'s 1-based field numbers of /proc/<pid>/stat (3 is the state letter, see proc_state). */
enum {
    STAT_PPID = 4,
    STAT_PGRP = 5,
    STAT_SESSION = 6,
    STAT_TTY_NR = 7,
    STAT_TPGID = 8,
    STAT_NICE = 19,
    STAT_NUM_THREADS = 20,
};

/* Field `field` (4 or more) of /proc/<pid>/stat as a number, counted from the LAST ')' since the name
   in parentheses may hold spaces and parentheses; fails the test when the process is gone. */
static long stat_number(pid_t pid, int field) {
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) fail_msg("%s: %s", path, strerror(errno));
    size_t count = fread(line, 1, sizeof line - 1, file);
    fclose(file);
    line[count] = 0;
    char *cursor = strrchr(line, ')');
    if (cursor == NULL) fail_msg("%s has no ')': %s", path, line);
    cursor++;                                         /* " S 1 ...": field 3 comes next */
    for (int at = 3; at < field; at++) {
        cursor = strchr(cursor + 1, ' ');
        if (cursor == NULL) fail_msg("%s has no field %d", path, field);
    }
    char *end;
    long value = strtol(cursor, &end, 10);
    if (end == cursor) fail_msg("%s: field %d is not a number", path, field);
    return value;
}

/* The "Threads:" line of /proc/<pid>/status; fails the test when it is missing. */
static long status_threads(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) fail_msg("%s: %s", path, strerror(errno));
    long threads = -1;
    while (fgets(line, sizeof line, file) != NULL) {
        if (sscanf(line, "Threads: %ld", &threads) == 1) break;
    }
    fclose(file);
    if (threads == -1) fail_msg("%s has no Threads: line", path);
    return threads;
}

/* Blocks until `fd` gives an int or end of file (the parent closed its end). */
static void wait_release(int fd) {
    int go;
    read_full(fd, &go, sizeof go);
}

/* Verify that as soon as fork returns the child is in /proc, under this process, in state R, S or D. */
static void STATE_1_child_is_in_proc_when_fork_returns(void **state) {
    (void)state;
    int release[2];
    SAFE(pipe(release));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        wait_release(release[0]);
        _exit(0);
    }
    char letter = 0;
    int parent = 0;
    int found = read_stat(pid, &letter, &parent);      /* the first thing after fork returns */
    close(release[0]);
    close(release[1]);
    assert_int_equal(reap(pid), 0);
    assert_true(found);
    assert_int_equal(parent, getpid());
    assert_non_null(strchr("RSD", letter));
}

/* Verify that a child looping without system calls is R. */
static void STATE_2_looping_child_is_r(void **state) {
    (void)state;
    int report[2];
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(report[0]);
        write_int(report[1], 1);                     /* from here on, only the loop */
        volatile unsigned long spins = 0;
        for (;;) spins++;
    }
    close(report[1]);
    read_int(report[0]);
    close(report[0]);
    assert_int_equal(await_state(pid, "R", 0), 'R');
    SAFE(kill(pid, SIGKILL));
    int status = reap(pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
}

/* Verify that a child blocked in read on an empty pipe is S, and so is a child in nanosleep. */
static void STATE_3_blocked_child_is_s(void **state) {
    (void)state;
    int empty[2], report[2];
    SAFE(pipe(empty));
    SAFE(pipe(report));
    pid_t reader = safe_fork();
    if (reader == 0) {
        close(empty[1]);
        close(report[0]);
        write_int(report[1], 1);                     /* the read below is its only blocking call */
        char byte;
        _exit(read(empty[0], &byte, 1) == 0 ? 0 : 1);
    }
    close(empty[0]);
    read_int(report[0]);
    assert_int_equal(await_state(reader, "S", 0), 'S');
    close(empty[1]);                                 /* end of file ends the read */
    assert_int_equal(reap(reader), 0);

    pid_t sleeper = safe_fork();
    if (sleeper == 0) {
        close(report[0]);
        write_int(report[1], 1);                     /* the nanosleep below is its only blocking call */
        struct timespec long_time = {3600, 0};
        for (;;) nanosleep(&long_time, NULL);
    }
    close(report[1]);
    read_int(report[0]);
    close(report[0]);
    assert_int_equal(await_state(sleeper, "S", 0), 'S');
    SAFE(kill(sleeper, SIGKILL));
    assert_int_equal(WTERMSIG(reap(sleeper)), SIGKILL);
}

/* Verify that SIGSTOP makes a child T, reported by WUNTRACED, and SIGCONT ends T, reported by WCONTINUED. */
static void STATE_4_stopped_child_is_t_until_continued(void **state) {
    (void)state;
    int release[2];
    SAFE(pipe(release));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        wait_release(release[0]);
        _exit(0);
    }
    close(release[0]);
    SAFE(kill(pid, SIGSTOP));
    int status = 0;
    assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
    assert_true(WIFSTOPPED(status));
    assert_int_equal(WSTOPSIG(status), SIGSTOP);
    assert_int_equal(proc_state(pid), 'T');          /* it is T before its parent is told */
    SAFE(kill(pid, SIGCONT));
    assert_int_equal(waitpid(pid, &status, WCONTINUED), pid);
    assert_true(WIFCONTINUED(status));
    char letter = proc_state(pid);
    assert_int_not_equal(letter, 0);
    assert_int_not_equal(letter, 'T');
    close(release[1]);
    assert_int_equal(reap(pid), 0);
}

/* Verify that an exited, unreaped child is Z, and that once reaped it has no /proc entry and kill is ESRCH. */
static void STATE_5_exited_child_is_z_then_gone(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    /* Poll until it has exited: a parent that has not reaped it sees Z, never X or nothing. */
    assert_int_equal(await_state(pid, "ZX", 1), 'Z');
    assert_int_equal(kill(pid, 0), 0);               /* a zombie still has its pid */
    assert_int_equal(reap(pid), 0);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    errno = 0;
    assert_null(fopen(path, "r"));
    assert_int_equal(errno, ENOENT);
    errno = 0;
    assert_int_equal(kill(pid, 0), -1);
    assert_int_equal(errno, ESRCH);
}

/* Forks a child that sets its nice value to `nice`, reports 0 or the errno on `report`, and waits. */
static pid_t nice_child(int release[2], int report[2], int nice) {
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        close(report[0]);
        write_int(report[1], setpriority(PRIO_PROCESS, 0, nice) == 0 ? 0 : errno);
        wait_release(release[0]);
        _exit(0);
    }
    close(release[0]);
    close(report[1]);
    return pid;
}

/* Verify that a child that raised its nice value above 0 (5 above this process's, at least 5, at most
 * 19) shows it in field 19 of its stat. */
static void STATE_6_raised_nice_value_shows(void **state) {
    (void)state;
    int release[2], report[2];
    errno = 0;
    int base = getpriority(PRIO_PROCESS, 0);
    int raised = (base > 0 ? base : 0) + 5 > 19 ? 19 : (base > 0 ? base : 0) + 5;
    pid_t pid = nice_child(release, report, raised);
    int error = read_int(report[0]);
    long nice = error == 0 ? stat_number(pid, STAT_NICE) : 0;
    close(release[1]);
    close(report[0]);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(error, 0);
    assert_int_equal(nice, raised);
}

/* Verify that a child that lowered its nice value to -5 shows -5; skipped where that is not permitted. */
static void STATE_7_lowered_nice_value_shows(void **state) {
    (void)state;
    int release[2], report[2];
    pid_t pid = nice_child(release, report, -5);
    int error = read_int(report[0]);
    long nice = error == 0 ? stat_number(pid, STAT_NICE) : 0;
    close(release[1]);
    close(report[0]);
    assert_int_equal(reap(pid), 0);
    if (error == EPERM || error == EACCES) skip();   /* no CAP_SYS_NICE, RLIMIT_NICE too low */
    assert_int_equal(error, 0);
    assert_int_equal(nice, -5);
}

/* Verify that a setsid leader's session is its pid, and its child is in that session without leading it. */
static void STATE_8_setsid_makes_a_session_leader(void **state) {
    (void)state;
    int release[2], report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t leader = safe_fork();
    if (leader == 0) {
        close(release[1]);
        close(report[0]);
        if (setsid() == -1) _exit(1);
        pid_t member = fork();                       /* forked after setsid: in the new session */
        if (member == 0) {
            wait_release(release[0]);
            _exit(0);
        }
        write_int(report[1], member);
        wait_release(release[0]);
        int status = 0;
        _exit(member > 0 && waitpid(member, &status, 0) == member && status == 0 ? 0 : 2);
    }
    close(release[0]);
    close(report[1]);
    pid_t member = read_int(report[0]);
    long leader_session = stat_number(leader, STAT_SESSION);
    long member_session = stat_number(member, STAT_SESSION);
    close(release[1]);
    close(report[0]);
    assert_int_equal(reap(leader), 0);
    assert_int_equal(leader_session, leader);
    assert_int_equal(member_session, leader);
    assert_int_not_equal(member_session, member);
}

static void *read_until_closed(void *fd) {
    wait_release(*(int *)fd);
    return NULL;
}

/* Forks a child with `threads` threads (the others blocked on `release`), which reports once they exist. */
static pid_t threaded_child(int release[2], int threads) {
    int report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        close(report[0]);
        pthread_t thread[4];
        for (int i = 1; i < threads; i++) {
            if (pthread_create(&thread[i], NULL, read_until_closed, &release[0]) != 0) _exit(1);
        }
        write_int(report[1], 1);
        wait_release(release[0]);
        for (int i = 1; i < threads; i++) pthread_join(thread[i], NULL);
        _exit(0);
    }
    close(release[0]);
    close(report[1]);
    read_int(report[0]);
    close(report[0]);
    return pid;
}

/* Verify that a process with a second thread counts 2 threads in stat and status, a single-threaded one 1. */
static void STATE_9_thread_count_shows(void **state) {
    (void)state;
    int release[2];
    pid_t pid = threaded_child(release, 2);
    long in_stat = stat_number(pid, STAT_NUM_THREADS);
    long in_status = status_threads(pid);
    close(release[1]);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(in_stat, 2);
    assert_int_equal(in_status, 2);

    pid = threaded_child(release, 1);
    in_stat = stat_number(pid, STAT_NUM_THREADS);
    in_status = status_threads(pid);
    close(release[1]);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(in_stat, 1);
    assert_int_equal(in_status, 1);
}

/* Verify, on a pseudo-terminal, that the foreground group's tpgid is its pgrp, a background group's is
   not, and a process without a controlling terminal has tpgid -1. */
static void STATE_10_foreground_group_is_the_terminals(void **state) {
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    SAFE(master);
    SAFE(grantpt(master));
    SAFE(unlockpt(master));
    const char *name = ptsname(master);
    assert_non_null(name);
    int slave = open(name, O_RDWR | O_NOCTTY);
    SAFE(slave);

    int release[2], report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t leader = safe_fork();
    if (leader == 0) {
        close(release[1]);
        close(report[0]);
        close(master);
        if (setsid() == -1) _exit(1);
        if (ioctl(slave, TIOCSCTTY, 0) == -1) _exit(2);  /* the slave becomes its controlling terminal */
        pid_t background = fork();
        if (background == 0) {
            if (setpgid(0, 0) == -1) _exit(1);       /* a group of its own, not the terminal's */
            write_int(report[1], getpid());
            wait_release(release[0]);
            _exit(0);
        }
        if (background == -1) _exit(3);
        wait_release(release[0]);
        int status = 0;
        _exit(waitpid(background, &status, 0) == background && status == 0 ? 0 : 4);
    }
    close(release[0]);
    close(report[1]);
    pid_t background = read_int(report[0]);          /* sent after its setpgid */
    close(report[0]);
    long leader_pgrp = stat_number(leader, STAT_PGRP), leader_tpgid = stat_number(leader, STAT_TPGID);
    long leader_tty = stat_number(leader, STAT_TTY_NR);
    long background_pgrp = stat_number(background, STAT_PGRP);
    long background_tpgid = stat_number(background, STAT_TPGID);
    long background_tty = stat_number(background, STAT_TTY_NR);
    close(release[1]);
    assert_int_equal(reap(leader), 0);
    assert_int_not_equal(leader_tty, 0);
    assert_int_equal(leader_pgrp, leader);
    assert_int_equal(leader_tpgid, leader_pgrp);
    assert_int_equal(background_tty, leader_tty);     /* the same terminal */
    assert_int_equal(background_pgrp, background);
    assert_int_equal(background_tpgid, leader_pgrp);
    assert_int_not_equal(background_tpgid, background_pgrp);

    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t detached = safe_fork();
    if (detached == 0) {
        close(release[1]);
        close(report[0]);
        close(master);
        close(slave);
        write_int(report[1], setsid() == -1 ? errno : 0);  /* no TIOCSCTTY: no controlling terminal */
        wait_release(release[0]);
        _exit(0);
    }
    close(release[0]);
    close(report[1]);
    int error = read_int(report[0]);
    close(report[0]);
    long detached_tpgid = stat_number(detached, STAT_TPGID), detached_tty = stat_number(detached, STAT_TTY_NR);
    close(release[1]);
    assert_int_equal(reap(detached), 0);
    close(slave);
    close(master);
    assert_int_equal(error, 0);
    assert_int_equal(detached_tty, 0);
    assert_int_equal(detached_tpgid, -1);
}

/* Verify that after fork the child's getppid and its /proc parent are the forking process. */
static void TREE_1_child_is_under_the_forking_process(void **state) {
    (void)state;
    int release[2], report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        close(report[0]);
        write_int(report[1], getppid());
        wait_release(release[0]);
        _exit(0);
    }
    close(release[0]);
    close(report[1]);
    int reported = read_int(report[0]);
    long in_proc = stat_number(pid, STAT_PPID);
    close(release[1]);
    close(report[0]);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(reported, getpid());
    assert_int_equal(in_proc, getpid());
}

/* Verify that after a double fork whose middle child ended the grandchild's parent is this subreaper. */
static void TREE_2_orphan_goes_under_the_subreaper(void **state) {
    (void)state;
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    int release[2], report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t middle = safe_fork();
    if (middle == 0) {
        close(release[1]);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            wait_release(release[0]);                /* released once the middle child is reaped */
            write_int(report[1], getppid());
            _exit(0);
        }
        write_int(report[1], grandchild);
        _exit(grandchild > 0 ? 0 : 1);
    }
    close(release[0]);
    pid_t grandchild = read_int(report[0]);
    close(report[1]);
    assert_int_equal(reap(middle), 0);
    long in_proc = stat_number(grandchild, STAT_PPID);
    write_int(release[1], 1);
    int reported = read_int(report[0]);
    close(release[1]);
    close(report[0]);
    assert_int_equal(reap(grandchild), 0);           /* only a child can be reaped */
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
    assert_int_equal(in_proc, getpid());
    assert_int_equal(reported, getpid());
}

/* TREE-5: in a new PID namespace an orphan is adopted by the namespace's init (pid 1 there), though
 * this process, outside, is a subreaper. Making the namespace needs CAP_SYS_ADMIN, or an unprivileged
 * user namespace: without either the test is skipped (unsupported). */
static void TREE_5_orphan_in_a_new_pid_namespace_goes_to_its_init(void **state) {
    (void)state;
    int report[2], middle_gone[2];
    SAFE(pipe(report));
    SAFE(pipe(middle_gone));
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    pid_t creator = safe_fork();
    if (creator == 0) {
        int branch = unshare(CLONE_NEWPID) == 0 ? 0
                   : errno == EPERM && unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0 ? 1 : -errno;
        write_int(report[1], branch);
        if (branch < 0) _exit(0);
        pid_t init = fork();
        if (init == 0) {                       /* pid 1 of the new namespace */
            pid_t middle = fork();
            if (middle == 0) {
                if (fork() == 0) {             /* the orphan: reports its parent once the middle is gone */
                    char byte;
                    if (read(middle_gone[0], &byte, 1) != 1) _exit(1);
                    write_int(report[1], getppid());
                    _exit(0);
                }
                _exit(0);
            }
            waitpid(middle, NULL, 0);
            if (write(middle_gone[1], "x", 1) != 1) _exit(1);
            while (wait(NULL) > 0) {}          /* the adopted orphan */
            _exit(0);
        }
        waitpid(init, NULL, 0);
        _exit(0);
    }
    close(report[1]);
    close(middle_gone[0]);
    close(middle_gone[1]);
    int branch = read_int(report[0]);
    if (branch < 0) {
        reap(creator);
        close(report[0]);
        SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
        skip();
    }
    int parent = read_int(report[0]);
    close(report[0]);
    assert_int_equal(reap(creator), 0);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
    assert_int_equal(parent, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(STATE_1_child_is_in_proc_when_fork_returns),
        cmocka_unit_test(STATE_2_looping_child_is_r),
        cmocka_unit_test(STATE_3_blocked_child_is_s),
        cmocka_unit_test(STATE_4_stopped_child_is_t_until_continued),
        cmocka_unit_test(STATE_5_exited_child_is_z_then_gone),
        cmocka_unit_test(STATE_6_raised_nice_value_shows),
        cmocka_unit_test(STATE_7_lowered_nice_value_shows),
        cmocka_unit_test(STATE_8_setsid_makes_a_session_leader),
        cmocka_unit_test(STATE_9_thread_count_shows),
        cmocka_unit_test(STATE_10_foreground_group_is_the_terminals),
        cmocka_unit_test(TREE_1_child_is_under_the_forking_process),
        cmocka_unit_test(TREE_2_orphan_goes_under_the_subreaper),
        cmocka_unit_test(TREE_5_orphan_in_a_new_pid_namespace_goes_to_its_init),
    };
    return cmocka_run_group_tests_name("states", tests, NULL, NULL);
}
