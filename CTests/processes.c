/*
 * C witnesses of the Processes chapter: each test checks, on the raw system calls, the kernel fact
 * that the Swift rule of the same id states. Test names start with the rule id (FORK_1_...).
 */
#include "witness.h"

#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <grp.h>

/* Verify that fork returns 0 in the child and the child's pid in the parent. */
static void FORK_1_fork_returns_zero_in_child_and_pid_in_parent(void **state) {
    (void)state;
    int report[2];
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        write_int(report[1], pid);          /* what fork returned here: 0 */
        write_int(report[1], getpid());
        _exit(0);
    }
    close(report[1]);
    assert_int_equal(read_int(report[0]), 0);
    assert_int_equal(read_int(report[0]), pid);
    close(report[0]);
    assert_int_equal(reap(pid), 0);
}

/* Verify that the child's getpid is the pid fork returned and its getppid is the parent. */
static void FORK_2_child_getpid_and_getppid(void **state) {
    (void)state;
    int report[2];
    SAFE(pipe(report));
    pid_t pid = safe_fork();
    if (pid == 0) {
        write_int(report[1], getpid());
        write_int(report[1], getppid());
        _exit(0);
    }
    close(report[1]);
    assert_int_equal(read_int(report[0]), pid);
    assert_int_equal(read_int(report[0]), getpid());
    close(report[0]);
    reap(pid);
}

/* Verify that the child sees the parent's pre-fork write and that later writes do not cross. */
static void FORK_3_child_memory_is_a_copy(void **state) {
    (void)state;
    static volatile int cell;
    int to_child[2], to_parent[2];
    SAFE(pipe(to_child));
    SAFE(pipe(to_parent));
    cell = 1;
    pid_t pid = safe_fork();
    if (pid == 0) {
        write_int(to_parent[1], cell);
        cell = 2;
        write_int(to_parent[1], 0);
        int go;
        read_full(to_child[0], &go, sizeof go);
        write_int(to_parent[1], cell);
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    assert_int_equal(read_int(to_parent[0]), 1);
    read_int(to_parent[0]);
    assert_int_equal(cell, 1);      /* the child's 2 is not visible here */
    cell = 3;
    write_int(to_child[1], 0);
    assert_int_equal(read_int(to_parent[0]), 2);  /* the parent's 3 is not visible there */
    close(to_child[1]);
    close(to_parent[0]);
    reap(pid);
}

/* Verify that fork returns in the parent while the child is blocked, and vice versa. */
static void FORK_4_parent_and_child_run_independently(void **state) {
    (void)state;
    int to_child[2], to_parent[2];
    SAFE(pipe(to_child));
    SAFE(pipe(to_parent));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(to_child[1]);
        int go;
        if (!read_full(to_child[0], &go, sizeof go)) _exit(1);  /* blocked until the parent acts */
        write_int(to_parent[1], 7);
        _exit(0);
    }
    close(to_child[0]);
    close(to_parent[1]);
    write_int(to_child[1], 1);                     /* the parent runs while the child is blocked */
    assert_int_equal(read_int(to_parent[0]), 7);   /* the child runs while the parent is blocked */
    close(to_child[1]);
    close(to_parent[0]);
    assert_int_equal(reap(pid), 0);
}

/* Verify that fork fails with EAGAIN when RLIMIT_NPROC is reached (as uid 65534 when root). */
static void FORK_5_fork_fails_with_eagain_at_rlimit_nproc(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) {
        if (getuid() == 0 && (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)) _exit(125);
        struct rlimit none = {0, 0};
        if (setrlimit(RLIMIT_NPROC, &none) != 0) _exit(124);
        pid_t again = fork();
        if (again == 0) _exit(0);
        _exit(again == -1 ? errno : 123);
    }
    int status = reap(pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), EAGAIN);
}

/* Verify that the child shares the parent's descriptors and their file offset. */
static void FORK_6_child_shares_descriptors_and_offset(void **state) {
    (void)state;
    int file = memfd_create("FORK_6", 0);
    SAFE(file);
    pid_t pid = safe_fork();
    if (pid == 0) _exit(write(file, "child\n", 6) == 6 ? 0 : 1);
    assert_int_equal(reap(pid), 0);
    assert_int_equal(write(file, "parent\n", 7), 7);
    char content[32] = {0};
    assert_int_equal(pread(file, content, sizeof content - 1, 0), 13);
    assert_string_equal(content, "child\nparent\n");
    close(file);
}

/* Verify that an unflushed stdio buffer is written by both processes when they exit normally. */
static void FORK_7_unflushed_stdio_is_written_twice(void **state) {
    (void)state;
    int out[2];
    SAFE(pipe(out));
    FILE *stream = fdopen(out[1], "w");
    assert_non_null(stream);
    setvbuf(stream, NULL, _IOFBF, 4096);
    fputs("hello ", stream);
    pid_t pid = safe_fork();
    if (pid == 0) exit(0);
    fclose(stream);
    char content[32] = {0};
    assert_true(read_full(out[0], content, 12));
    assert_string_equal(content, "hello hello ");
    close(out[0]);
    reap(pid);
}

static int atexit_fd = -1;
static void write_from_atexit(void) { (void)!write(atexit_fd, "handler ran", 11); }

/* Forks a child that registers an atexit handler and buffers "buffered", then ends with
   _exit (quick) or exit; returns the status and fills what each pipe received. */
static int end_child(int quick, int code, char *handler, char *buffered) {
    int h[2], b[2];
    SAFE(pipe(h));
    SAFE(pipe(b));
    pid_t pid = safe_fork();
    if (pid == 0) {
        atexit_fd = h[1];
        atexit(write_from_atexit);
        FILE *stream = fdopen(b[1], "w");
        setvbuf(stream, NULL, _IOFBF, 4096);
        fputs("buffered", stream);
        if (quick) _exit(code);
        exit(code);
    }
    close(h[1]);
    close(b[1]);
    ssize_t n = read(h[0], handler, 31);
    handler[n > 0 ? n : 0] = 0;
    n = read(b[0], buffered, 31);
    buffered[n > 0 ? n : 0] = 0;
    close(h[0]);
    close(b[0]);
    return reap(pid);
}

/* Verify that _exit(n) is reported to the parent as exited with status n. */
static void EXIT_1_exit_status_reaches_the_parent(void **state) {
    (void)state;
    int codes[] = {7, 0, 255};
    for (size_t i = 0; i < 3; i++) {
        pid_t pid = safe_fork();
        if (pid == 0) _exit(codes[i]);
        int status = reap(pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), codes[i]);
    }
}

/* Verify that _exit runs no atexit handler and discards buffered stdio output. */
static void EXIT_2_underscore_exit_skips_handlers_and_buffers(void **state) {
    (void)state;
    char handler[32], buffered[32];
    int status = end_child(1, 0, handler, buffered);
    assert_true(WIFEXITED(status));
    assert_string_equal(handler, "");
    assert_string_equal(buffered, "");
}

/* Verify that exit runs the atexit handlers and flushes stdio before ending with status n. */
static void EXIT_3_exit_runs_handlers_and_flushes(void **state) {
    (void)state;
    char handler[32], buffered[32];
    int status = end_child(0, 5, handler, buffered);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 5);
    assert_string_equal(handler, "handler ran");
    assert_string_equal(buffered, "buffered");
}

/* Verify that only the low 8 bits of the exit status reach the parent. */
static void EXIT_5_only_low_eight_bits_reach_the_parent(void **state) {
    (void)state;
    int codes[][2] = {{259, 3}, {-1, 255}};
    for (size_t i = 0; i < 2; i++) {
        pid_t pid = safe_fork();
        if (pid == 0) _exit(codes[i][0]);
        int status = reap(pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), codes[i][1]);
    }
}

/* Verify that wait returns the pid of a child that exited with 42 and its code. */
static void WAIT_1_wait_reports_pid_and_exit_code(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) _exit(42);
    int status = 0;
    assert_int_equal(wait(&status), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 42);
}

/* Verify that a child killed by SIGKILL is signaled with 9 and not exited. */
static void WAIT_2_killed_child_is_signaled(void **state) {
    (void)state;
    int block[2];
    SAFE(pipe(block));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(block[1]);
        int go;
        read_full(block[0], &go, sizeof go);
        _exit(0);
    }
    close(block[0]);
    SAFE(kill(pid, SIGKILL));
    int status = reap(pid);
    close(block[1]);
    assert_false(WIFEXITED(status));
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_false(WCOREDUMP(status));
}

/* Forks a child that blocks until `release` gets a byte or end of file, then exits with `code`. */
static pid_t blocked_child(int release[2], int code) {
    SAFE(pipe(release));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        int go;
        read_full(release[0], &go, sizeof go);
        _exit(code);
    }
    close(release[0]);
    return pid;
}

/* Verify that waitpid with WNOHANG returns 0, not an error, while the child runs. */
static void WAIT_3_wnohang_returns_zero_while_running(void **state) {
    (void)state;
    int release[2];
    pid_t pid = blocked_child(release, 3);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    close(release[1]);
    status = reap(pid);
    assert_int_equal(WEXITSTATUS(status), 3);
}

/* Verify that wait with no children fails at once with ECHILD. */
static void WAIT_4_wait_without_children_is_echild(void **state) {
    (void)state;
    int status;
    errno = 0;
    assert_int_equal(wait(&status), -1);
    assert_int_equal(errno, ECHILD);
}

/* Verify that waiting for an already reaped child fails with ECHILD. */
static void WAIT_5_second_wait_is_echild(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    reap(pid);
    int status;
    errno = 0;
    assert_int_equal(waitpid(pid, &status, 0), -1);
    assert_int_equal(errno, ECHILD);
}

/* Verify that WUNTRACED reports a stop and WCONTINUED a continue. */
static void WAIT_6_stopped_and_continued_are_reported(void **state) {
    (void)state;
    int release[2];
    SAFE(pipe(release));
    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[1]);
        raise(SIGSTOP);
        int go;
        read_full(release[0], &go, sizeof go);
        _exit(0);
    }
    close(release[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, WUNTRACED), pid);
    assert_true(WIFSTOPPED(status));
    assert_int_equal(WSTOPSIG(status), SIGSTOP);
    SAFE(kill(pid, SIGCONT));
    assert_int_equal(waitpid(pid, &status, WCONTINUED), pid);
    assert_true(WIFCONTINUED(status));
    close(release[1]);
    assert_int_equal(reap(pid), 0);
}

/* Verify that waitpid(pid) leaves an already exited sibling unreaped. */
static void WAIT_7_waitpid_waits_for_that_child_only(void **state) {
    (void)state;
    pid_t first = safe_fork();
    if (first == 0) _exit(1);
    int release[2];
    pid_t second = blocked_child(release, 2);
    await_state(first, "Z", 0);
    close(release[1]);
    int status = 0;
    assert_int_equal(waitpid(second, &status, 0), second);
    assert_int_equal(WEXITSTATUS(status), 2);
    assert_int_equal(proc_state(first), 'Z');
    assert_int_equal(wait(&status), first);
    assert_int_equal(WEXITSTATUS(status), 1);
}

struct waiter {
    pid_t tid;
    pid_t result;
    int status;
};

static void *call_wait(void *argument) {
    struct waiter *waiter = argument;
    waiter->tid = (pid_t)syscall(SYS_gettid);
    waiter->result = wait(&waiter->status);
    return NULL;
}

/* The system call number thread `tid` is blocked in, from /proc/self/task/<tid>/syscall. */
static long current_syscall(pid_t tid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    FILE *file = fopen(path, "r");
    long number = -1;
    if (file != NULL) {
        if (fscanf(file, "%ld", &number) != 1) number = -1;
        fclose(file);
    }
    return number;
}

/* Verify that wait blocks in wait4 while the only child runs and returns when it exits. */
static void WAIT_9_wait_blocks_while_the_child_runs(void **state) {
    (void)state;
    int release[2];
    pid_t pid = blocked_child(release, 9);
    struct waiter waiter = {0, 0, 0};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, call_wait, &waiter), 0);
    while (__atomic_load_n(&waiter.tid, __ATOMIC_ACQUIRE) == 0 || current_syscall(waiter.tid) != SYS_wait4) {
        usleep(1000);
    }
    assert_int_equal(__atomic_load_n(&waiter.result, __ATOMIC_ACQUIRE), 0);  /* it has not returned */
    close(release[1]);
    pthread_join(thread, NULL);
    assert_int_equal(waiter.result, pid);
    assert_int_equal(WEXITSTATUS(waiter.status), 9);
}

/* Forks a child that forks a grandchild and exits; reaps the child and returns the grandchild,
   which waits for a byte on `release`, reports getppid() on `report` and exits with `code`. */
static pid_t make_orphan(int release[2], int report[2], int code) {
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t parent = safe_fork();
    if (parent == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            int go;
            read_full(release[0], &go, sizeof go);
            write_int(report[1], getppid());
            _exit(code);
        }
        write_int(report[1], grandchild);
        _exit(grandchild > 0 ? 0 : 1);
    }
    pid_t grandchild = read_int(report[0]);
    assert_int_equal(reap(parent), 0);
    close(release[0]);
    close(report[1]);
    return grandchild;
}

/* Verify that an orphan is re-parented to the nearest subreaper. */
static void ORPHAN_1_orphan_is_adopted_by_the_subreaper(void **state) {
    (void)state;
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    int release[2], report[2];
    pid_t orphan = make_orphan(release, report, 0);
    write_int(release[1], 1);
    assert_int_equal(read_int(report[0]), getpid());
    reap(orphan);
    close(release[1]);
    close(report[0]);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

/* Verify that the subreaper's wait returns an adopted orphan's pid and status. */
static void ORPHAN_2_subreaper_reaps_adopted_orphans(void **state) {
    (void)state;
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    int release[2], report[2];
    pid_t orphan = make_orphan(release, report, 7);
    write_int(release[1], 1);
    int status = 0;
    assert_int_equal(waitpid(-1, &status, 0), orphan);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
    close(release[1]);
    close(report[0]);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

/* Verify that PR_GET_CHILD_SUBREAPER reports the setting and that fork does not inherit it. */
static void ORPHAN_3_subreaper_setting_is_not_inherited(void **state) {
    (void)state;
    int flag = -1;
    SAFE(prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0));
    assert_int_equal(flag, 0);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
    SAFE(prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0));
    assert_int_equal(flag, 1);
    pid_t pid = safe_fork();
    if (pid == 0) {
        int inherited = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &inherited, 0, 0, 0);
        _exit(inherited);
    }
    assert_int_equal(WEXITSTATUS(reap(pid)), 0);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

/* Verify that an exited, unreaped child is in state Z. */
static void ZOMBIE_1_exited_unreaped_child_is_z(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    /* Poll until it has exited: a parent that has not reaped it sees Z first, never X. */
    assert_int_equal(await_state(pid, "ZX", 1), 'Z');
    assert_int_equal(proc_state(pid), 'Z');
    reap(pid);
}

/* Verify that reaping removes the zombie's /proc entry. */
static void ZOMBIE_2_reaped_child_is_gone(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    await_state(pid, "Z", 0);
    reap(pid);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    errno = 0;
    assert_null(fopen(path, "r"));
    assert_int_equal(errno, ENOENT);
}

/* Verify that the state follows the LAST ')' of the stat line: the name may contain ") R (". */
static void ZOMBIE_3_state_follows_the_last_parenthesis(void **state) {
    (void)state;
    pid_t pid = safe_fork();
    if (pid == 0) {
        prctl(PR_SET_NAME, "a b) R (c", 0, 0, 0);
        _exit(0);
    }
    await_state(pid, "Z", 0);
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    assert_non_null(file);
    size_t count = fread(line, 1, sizeof line - 1, file);
    fclose(file);
    line[count] = 0;
    assert_int_equal(strrchr(line, ')')[2], 'Z');
    assert_int_equal(strchr(line, ')')[2], 'R');  /* the trap a naive parser falls into */
    reap(pid);
}

/* Verify that after a double fork the intermediate child is reaped and the grandchild re-parented. */
static void ZOMBIE_4_double_fork_leaves_no_zombie(void **state) {
    (void)state;
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));  /* so the grandchild comes back here */
    int release[2], report[2];
    SAFE(pipe(release));
    SAFE(pipe(report));
    pid_t middle = safe_fork();
    if (middle == 0) {
        if (fork() == 0) {
            write_int(report[1], getpid());
            int go;
            read_full(release[0], &go, sizeof go);
            _exit(0);
        }
        _exit(0);
    }
    reap(middle);
    pid_t worker = read_int(report[0]);
    int status;
    errno = 0;
    assert_int_equal(waitpid(middle, &status, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    assert_int_equal(proc_parent(worker), getpid());  /* re-parented to this subreaper */
    write_int(release[1], 1);
    assert_int_equal(reap(worker), 0);
    close(release[0]);
    close(release[1]);
    close(report[0]);
    close(report[1]);
    SAFE(prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0));
}

/* Verify that with SIGCHLD ignored an exited child never becomes a zombie and wait is ECHILD. */
static void ZOMBIE_5_ignored_sigchld_reaps_children(void **state) {
    (void)state;
    assert_ptr_equal(signal(SIGCHLD, SIG_IGN), SIG_DFL);
    int alive[2];
    SAFE(pipe(alive));
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    close(alive[1]);
    char byte;
    assert_int_equal(read(alive[0], &byte, 1), 0);  /* end of file: the child has exited */
    close(alive[0]);
    assert_int_equal(await_state(pid, "Z", 1), 0);  /* gone, never Z */
    int status;
    errno = 0;
    assert_int_equal(wait(&status), -1);
    assert_int_equal(errno, ECHILD);
    signal(SIGCHLD, SIG_DFL);
}

/* Verify that signal returns the previous disposition and that SIG_DFL brings zombies back. */
static void ZOMBIE_6_restoring_sig_dfl_brings_zombies_back(void **state) {
    (void)state;
    assert_ptr_equal(signal(SIGCHLD, SIG_IGN), SIG_DFL);
    assert_ptr_equal(signal(SIGCHLD, SIG_IGN), SIG_IGN);
    assert_ptr_equal(signal(SIGCHLD, SIG_DFL), SIG_IGN);
    pid_t pid = safe_fork();
    if (pid == 0) _exit(0);
    assert_int_equal(await_state(pid, "Z", 1), 'Z');
    reap(pid);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(FORK_1_fork_returns_zero_in_child_and_pid_in_parent),
        cmocka_unit_test(FORK_2_child_getpid_and_getppid),
        cmocka_unit_test(FORK_3_child_memory_is_a_copy),
        cmocka_unit_test(FORK_4_parent_and_child_run_independently),
        cmocka_unit_test(FORK_5_fork_fails_with_eagain_at_rlimit_nproc),
        cmocka_unit_test(FORK_6_child_shares_descriptors_and_offset),
        cmocka_unit_test(FORK_7_unflushed_stdio_is_written_twice),
        cmocka_unit_test(EXIT_1_exit_status_reaches_the_parent),
        cmocka_unit_test(EXIT_2_underscore_exit_skips_handlers_and_buffers),
        cmocka_unit_test(EXIT_3_exit_runs_handlers_and_flushes),
        cmocka_unit_test(EXIT_5_only_low_eight_bits_reach_the_parent),
        cmocka_unit_test(WAIT_1_wait_reports_pid_and_exit_code),
        cmocka_unit_test(WAIT_2_killed_child_is_signaled),
        cmocka_unit_test(WAIT_3_wnohang_returns_zero_while_running),
        cmocka_unit_test(WAIT_4_wait_without_children_is_echild),
        cmocka_unit_test(WAIT_5_second_wait_is_echild),
        cmocka_unit_test(WAIT_6_stopped_and_continued_are_reported),
        cmocka_unit_test(WAIT_7_waitpid_waits_for_that_child_only),
        cmocka_unit_test(WAIT_9_wait_blocks_while_the_child_runs),
        cmocka_unit_test(ORPHAN_1_orphan_is_adopted_by_the_subreaper),
        cmocka_unit_test(ORPHAN_2_subreaper_reaps_adopted_orphans),
        cmocka_unit_test(ORPHAN_3_subreaper_setting_is_not_inherited),
        cmocka_unit_test(ZOMBIE_1_exited_unreaped_child_is_z),
        cmocka_unit_test(ZOMBIE_2_reaped_child_is_gone),
        cmocka_unit_test(ZOMBIE_3_state_follows_the_last_parenthesis),
        cmocka_unit_test(ZOMBIE_4_double_fork_leaves_no_zombie),
        cmocka_unit_test(ZOMBIE_5_ignored_sigchld_reaps_children),
        cmocka_unit_test(ZOMBIE_6_restoring_sig_dfl_brings_zombies_back),
    };
    return cmocka_run_group_tests_name("processes", tests, NULL, NULL);
}
