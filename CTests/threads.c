/*
 * C witnesses of the Threads chapter: the pthread and kernel facts under the thread and the lock.
 * Test names start with the rule id (THREAD_4_...). Only the main thread calls cmocka assertions:
 * the other threads record what they saw, and the main thread asserts after joining them.
 */
#include "witness.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

/* The kernel id of the calling thread. */
static pid_t thread_id(void) {
    return (pid_t)syscall(SYS_gettid);
}

/* The state letter of /proc/self/task/<tid>/stat, or 0 when the thread is gone. */
static char task_state(pid_t tid) {
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1) return 0;
    ssize_t count = read(fd, line, sizeof line - 1);
    close(fd);
    if (count <= 0) return 0;
    line[count] = 0;
    char *close_paren = strrchr(line, ')');
    char state = 0;
    if (close_paren == NULL || sscanf(close_paren + 1, " %c", &state) != 1) return 0;
    return state;
}

/* Polls every millisecond, for at most 10 s, until thread `tid` is in state `wanted` (0: gone);
   returns the last state seen, which the caller compares with `wanted`. */
static char await_task_state(pid_t tid, char wanted) {
    struct timespec start, now, pause = {.tv_sec = 0, .tv_nsec = 1000000L};
    SAFE(clock_gettime(CLOCK_MONOTONIC, &start));
    for (;;) {
        char state = task_state(tid);
        if (state == wanted) return state;
        SAFE(clock_gettime(CLOCK_MONOTONIC, &now));
        if (now.tv_sec - start.tv_sec >= 10) return state;
        nanosleep(&pause, NULL);
    }
}

/* The number of entries of /proc/self/task, or -1 when it cannot be read. Only open, getdents64
   and close: safe in the child of a process with several threads. */
static int count_tasks(void) {
    int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1) return -1;
    char buffer[4096] __attribute__((aligned(8)));
    int count = 0;
    for (;;) {
        ssize_t size = getdents64(fd, buffer, sizeof buffer);
        if (size == -1) {
            close(fd);
            return -1;
        }
        if (size == 0) break;
        for (ssize_t offset = 0; offset < size;) {
            const struct dirent64 *entry = (const struct dirent64 *)(buffer + offset);
            if (entry->d_name[0] != '.') count++;
            offset += entry->d_reclen;
        }
    }
    close(fd);
    return count;
}

/* Runs `body(argument)` on a new thread and joins it, failing the test if either step fails. */
static void run_thread(void *(*body)(void *), void *argument) {
    pthread_t thread;
    int error = pthread_create(&thread, NULL, body, argument);
    if (error != 0) fail_msg("pthread_create failed: %s", strerror(error));
    error = pthread_join(thread, NULL);
    if (error != 0) fail_msg("pthread_join failed: %s", strerror(error));
}

/* Moves `time` `milliseconds` later. */
static void add_milliseconds(struct timespec *time, long milliseconds) {
    time->tv_nsec += milliseconds * 1000000L;
    time->tv_sec += time->tv_nsec / 1000000000L;
    time->tv_nsec %= 1000000000L;
}

/* `deadline` is `milliseconds` after the present CLOCK_REALTIME time. */
static void realtime_after(struct timespec *deadline, long milliseconds) {
    SAFE(clock_gettime(CLOCK_REALTIME, deadline));
    add_milliseconds(deadline, milliseconds);
}

/* Whether `a` is at or after `b`. */
static int timespec_at_or_after(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* A mutex of `type`, failing the test if it cannot be made. */
static void mutex_of_type(pthread_mutex_t *mutex, int type) {
    pthread_mutexattr_t attributes;
    assert_int_equal(pthread_mutexattr_init(&attributes), 0);
    assert_int_equal(pthread_mutexattr_settype(&attributes, type), 0);
    assert_int_equal(pthread_mutex_init(mutex, &attributes), 0);
    assert_int_equal(pthread_mutexattr_destroy(&attributes), 0);
}

/* The pipes of a parked thread: it writes its tid on `report`, waits for a token on `go`, then
   writes 1 on `report` as the last thing it does with anything shared, and returns. */
struct parked {
    int go;
    int report;
};

static void *parked_body(void *argument) {
    const struct parked *pipes = argument;
    int go = pipes->go, report = pipes->report;
    write_int(report, (int)thread_id());
    int token = 0;
    int released = read_full(go, &token, sizeof token);
    write_int(report, released);
    return NULL;
}

/* Starts a parked thread, detached by its attributes when `create_detached`, else by
   pthread_detach; tries to join it, releases it, waits for its last report and until its task is
   gone. Returns what pthread_join returned (pthread_detach's error if that failed). */
static int join_a_detached_thread(int create_detached) {
    int go[2], report[2];
    SAFE(pipe(go));
    SAFE(pipe(report));
    struct parked pipes = {.go = go[0], .report = report[1]};
    pthread_attr_t attributes;
    assert_int_equal(pthread_attr_init(&attributes), 0);
    if (create_detached) {
        assert_int_equal(pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED), 0);
    }
    pthread_t thread;
    int error = pthread_create(&thread, &attributes, parked_body, &pipes);
    assert_int_equal(pthread_attr_destroy(&attributes), 0);
    if (error != 0) fail_msg("pthread_create failed: %s", strerror(error));
    pid_t tid = (pid_t)read_int(report[0]);

    /* The thread is alive (it cannot pass the read of `go`), so the handle is valid. */
    int result = create_detached ? 0 : pthread_detach(thread);
    int detached = result == 0;
    if (detached) result = pthread_join(thread, NULL);

    write_int(go[1], 1);
    int released = read_int(report[0]);
    if (!detached) pthread_join(thread, NULL);
    close(go[0]);
    close(go[1]);
    close(report[0]);
    close(report[1]);
    char state = await_task_state(tid, 0);
    if (state != 0) fail_msg("the detached thread %d is still there after 10 s (state %c)", (int)tid, state);
    assert_int_equal(released, 1);
    return result;
}

/* What a thread saw when it joined itself. */
static void *join_self(void *argument) {
    *(int *)argument = pthread_join(pthread_self(), NULL);
    return NULL;
}

/* Verify that joining a detached thread (created PTHREAD_CREATE_DETACHED, or detached by
   pthread_detach) fails with EINVAL, and that a thread joining itself gets EDEADLK. */
static void THREAD_4_joining_a_detached_thread_or_oneself_is_an_error(void **state) {
    (void)state;
    assert_int_equal(join_a_detached_thread(1), EINVAL);
    assert_int_equal(join_a_detached_thread(0), EINVAL);

    assert_int_equal(pthread_join(pthread_self(), NULL), EDEADLK);
    int result = -1;
    run_thread(join_self, &result);
    assert_int_equal(result, EDEADLK);
}

/* The value THREAD_8's second thread changes after the fork. */
static int thread_8_value = 1;

/* THREAD_8's second thread: it writes its tid on `report`, blocks reading `release`, then sets
   thread_8_value to 2. */
static void *thread_8_writer(void *argument) {
    const struct parked *pipes = argument;
    write_int(pipes->report, (int)thread_id());
    int token = 0;
    if (read_full(pipes->go, &token, sizeof token)) __atomic_store_n(&thread_8_value, 2, __ATOMIC_RELEASE);
    return NULL;
}

/* Verify that fork in a process with two threads gives a child with one thread (/proc/self/task
   has one entry) and a copy of the memory: the parent's second thread sets a global to 2 after the
   fork, and the child, looking only after that, still sees 1. */
static void THREAD_8_fork_copies_the_memory_and_only_the_calling_thread(void **state) {
    (void)state;
    __atomic_store_n(&thread_8_value, 1, __ATOMIC_RELEASE);
    int release[2], announce[2], go[2], seen[2];
    SAFE(pipe(release));
    SAFE(pipe(announce));
    SAFE(pipe(go));
    SAFE(pipe(seen));
    struct parked pipes = {.go = release[0], .report = announce[1]};
    pthread_t writer;
    int error = pthread_create(&writer, NULL, thread_8_writer, &pipes);
    if (error != 0) fail_msg("pthread_create failed: %s", strerror(error));
    pid_t tid = (pid_t)read_int(announce[0]);
    char writer_state = await_task_state(tid, 'S');
    int parent_tasks = count_tasks();
    if (writer_state != 'S' || parent_tasks < 2) {
        write_int(release[1], 0);
        pthread_join(writer, NULL);
        fail_msg("before fork: the second thread in state %c, %d task(s)", writer_state ? writer_state : '-',
                 parent_tasks);
    }

    pid_t pid = safe_fork();
    if (pid == 0) {
        close(release[0]);
        close(release[1]);
        close(go[1]);
        close(seen[0]);
        write_int(seen[1], count_tasks());
        int token = 0;
        if (!read_full(go[0], &token, sizeof token)) _exit(125);
        write_int(seen[1], __atomic_load_n(&thread_8_value, __ATOMIC_ACQUIRE));
        _exit(0);
    }
    close(go[0]);
    close(seen[1]);
    int child_tasks = read_int(seen[0]);

    /* The second thread writes after the fork; then the child is told to look. */
    write_int(release[1], 1);
    error = pthread_join(writer, NULL);
    if (error != 0) fail_msg("pthread_join failed: %s", strerror(error));
    int parent_value = __atomic_load_n(&thread_8_value, __ATOMIC_ACQUIRE);
    write_int(go[1], 1);
    int child_value = read_int(seen[0]);
    assert_int_equal(reap(pid), 0);
    close(release[0]);
    close(release[1]);
    close(announce[0]);
    close(announce[1]);
    close(go[1]);
    close(seen[0]);

    assert_int_equal(child_tasks, 1);
    assert_int_equal(parent_value, 2);
    assert_int_equal(child_value, 1);
}

/* What a second thread saw trying to take a mutex the main thread holds. */
struct attempts {
    pthread_mutex_t *mutex;
    int trylock;
    int timedlock;
    int unlock;
    int clocks;  /* 0 when both clock_gettime calls succeeded */
    struct timespec deadline;
    struct timespec returned;
};

/* trylock, then timedlock with a deadline 50 ms ahead, noting when it returned. */
static void *try_then_wait(void *argument) {
    struct attempts *attempts = argument;
    attempts->trylock = pthread_mutex_trylock(attempts->mutex);
    attempts->clocks = clock_gettime(CLOCK_REALTIME, &attempts->deadline);
    add_milliseconds(&attempts->deadline, 50);
    attempts->timedlock = pthread_mutex_timedlock(attempts->mutex, &attempts->deadline);
    attempts->clocks |= clock_gettime(CLOCK_REALTIME, &attempts->returned);
    return NULL;
}

/* trylock, and unlock if it succeeded. */
static void *try_then_unlock(void *argument) {
    struct attempts *attempts = argument;
    attempts->trylock = pthread_mutex_trylock(attempts->mutex);
    attempts->unlock = attempts->trylock == 0 ? pthread_mutex_unlock(attempts->mutex) : -1;
    return NULL;
}

/* Verify that on a NORMAL mutex the main thread holds, another thread's trylock fails at once with
   EBUSY and its timedlock fails with ETIMEDOUT only once the CLOCK_REALTIME deadline 50 ms ahead
   has passed; once unlocked, its trylock succeeds. */
static void LOCK_1_a_held_lock_fails_at_once_without_blocking_and_after_the_timeout_with_one(void **state) {
    (void)state;
    pthread_mutex_t mutex;
    mutex_of_type(&mutex, PTHREAD_MUTEX_NORMAL);
    assert_int_equal(pthread_mutex_lock(&mutex), 0);
    struct attempts held = {.mutex = &mutex};
    run_thread(try_then_wait, &held);
    assert_int_equal(pthread_mutex_unlock(&mutex), 0);
    struct attempts unheld = {.mutex = &mutex};
    run_thread(try_then_unlock, &unheld);
    assert_int_equal(pthread_mutex_destroy(&mutex), 0);

    assert_int_equal(held.trylock, EBUSY);
    assert_int_equal(held.clocks, 0);
    assert_int_equal(held.timedlock, ETIMEDOUT);
    assert_true(timespec_at_or_after(&held.returned, &held.deadline));
    assert_int_equal(unheld.trylock, 0);
    assert_int_equal(unheld.unlock, 0);
}

/* unlock of a mutex another thread holds, then trylock. */
static void *unlock_then_try(void *argument) {
    struct attempts *attempts = argument;
    attempts->unlock = pthread_mutex_unlock(attempts->mutex);
    attempts->trylock = pthread_mutex_trylock(attempts->mutex);
    return NULL;
}

/* Verify that an ERRORCHECK mutex refuses a release by a thread that does not hold it: unlock
   while unlocked fails with EPERM, and so does unlock from a second thread while the main thread
   holds it, which leaves it held (the second thread's trylock fails with EBUSY). */
static void LOCK_2_unlocking_a_mutex_one_does_not_hold_fails_with_EPERM(void **state) {
    (void)state;
    pthread_mutex_t mutex;
    mutex_of_type(&mutex, PTHREAD_MUTEX_ERRORCHECK);
    assert_int_equal(pthread_mutex_unlock(&mutex), EPERM);

    assert_int_equal(pthread_mutex_lock(&mutex), 0);
    struct attempts other = {.mutex = &mutex};
    run_thread(unlock_then_try, &other);
    int unlock = pthread_mutex_unlock(&mutex);
    int destroy = pthread_mutex_destroy(&mutex);

    assert_int_equal(other.unlock, EPERM);
    assert_int_equal(other.trylock, EBUSY);
    assert_int_equal(unlock, 0);
    assert_int_equal(destroy, 0);
}

/* Verify that a thread relocking a mutex it holds would wait for ever: an ERRORCHECK mutex says so
   with EDEADLK, and on a NORMAL one timedlock with a deadline 50 ms ahead fails with ETIMEDOUT once
   the deadline has passed. */
static void LOCK_4_relocking_a_held_mutex_waits_for_ever(void **state) {
    (void)state;
    pthread_mutex_t checked;
    mutex_of_type(&checked, PTHREAD_MUTEX_ERRORCHECK);
    assert_int_equal(pthread_mutex_lock(&checked), 0);
    assert_int_equal(pthread_mutex_lock(&checked), EDEADLK);
    assert_int_equal(pthread_mutex_unlock(&checked), 0);
    assert_int_equal(pthread_mutex_destroy(&checked), 0);

    pthread_mutex_t normal;
    mutex_of_type(&normal, PTHREAD_MUTEX_NORMAL);
    assert_int_equal(pthread_mutex_lock(&normal), 0);
    struct timespec deadline, returned;
    realtime_after(&deadline, 50);
    int result = pthread_mutex_timedlock(&normal, &deadline);
    SAFE(clock_gettime(CLOCK_REALTIME, &returned));
    assert_int_equal(pthread_mutex_unlock(&normal), 0);
    assert_int_equal(pthread_mutex_destroy(&normal), 0);
    assert_int_equal(result, ETIMEDOUT);
    assert_true(timespec_at_or_after(&returned, &deadline));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(THREAD_4_joining_a_detached_thread_or_oneself_is_an_error),
        cmocka_unit_test(THREAD_8_fork_copies_the_memory_and_only_the_calling_thread),
        cmocka_unit_test(LOCK_1_a_held_lock_fails_at_once_without_blocking_and_after_the_timeout_with_one),
        cmocka_unit_test(LOCK_2_unlocking_a_mutex_one_does_not_hold_fails_with_EPERM),
        cmocka_unit_test(LOCK_4_relocking_a_held_mutex_waits_for_ever),
    };
    return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
