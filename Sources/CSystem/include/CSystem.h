// CSystem: only what Swift cannot call directly.
//
// The wait-status macros (WIFEXITED ...) are macros with arguments, which Swift does not
// import; prctl and syscall are variadic; memfd_create, pidfd_open, the spawn action that
// closes descriptors and the glibc name lookups need _GNU_SOURCE. Everything Glibc already
// imports is called from Swift.
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <sys/types.h>
#include <sys/wait.h>
#include <spawn.h>

// MARK: Wait status macros, wait(2). These are the oracle the specs compare against.
static inline int cs_wifexited(int status) { return WIFEXITED(status); }
static inline int cs_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int cs_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int cs_wtermsig(int status) { return WTERMSIG(status); }
static inline int cs_wcoredump(int status) { return WCOREDUMP(status); }
static inline int cs_wifstopped(int status) { return WIFSTOPPED(status); }
static inline int cs_wstopsig(int status) { return WSTOPSIG(status); }
static inline int cs_wifcontinued(int status) { return WIFCONTINUED(status); }

// MARK: unshare(2), declared by glibc only for _GNU_SOURCE.
/// Puts this process's next children in a new PID namespace, the first of them its init (pid 1 there):
/// unshare(CLONE_NEWPID), or, where that needs a privilege this process lacks, unshare(CLONE_NEWUSER |
/// CLONE_NEWPID). Returns 0 or 1 for the branch that worked, or -1 with errno of the second attempt.
int cs_unshare_pid_namespace(void);

// MARK: prctl(2), which is variadic.
/// prctl(PR_SET_CHILD_SUBREAPER, on).
int cs_set_child_subreaper(int on);
/// prctl(PR_GET_CHILD_SUBREAPER, &on); returns -1 with errno on failure.
int cs_get_child_subreaper(int *on);
/// prctl(PR_SET_NAME, name): the name /proc/<pid>/stat shows in parentheses.
int cs_set_process_name(const char *name);
/// prctl(PR_SET_PDEATHSIG, signal): the kernel sends `signal` when the creating thread's process
/// (strictly: the thread that forked) ends; 0 clears it.
int cs_set_parent_death_signal(int signal);
/// prctl(PR_SET_DUMPABLE, on): after setuid, lets the process read its own /proc entries.
int cs_set_dumpable(int on);

// MARK: Linux descriptors for processes and anonymous files.
/// pidfd_open(2): a descriptor that polls readable when the process ends.
int cs_pidfd_open(pid_t pid);
/// memfd_create(2) with MFD_CLOEXEC: an anonymous file.
int cs_memfd_create(const char *name);
/// close_range(2) from `first` to the highest descriptor.
int cs_close_from(unsigned int first);
/// posix_spawn_file_actions_addclosefrom_np(3): the spawned program closes every descriptor from
/// `first` up, after the actions added before.
int cs_spawn_close_from(posix_spawn_file_actions_t *actions, int first);

// MARK: Calls and constants Swift's Glibc module leaves out.
/// pipe2(fds, O_CLOEXEC).
int cs_pipe_cloexec(int fds[2]);
/// fcntl(fd, F_SETPIPE_SZ, size): the pipe's capacity becomes at least `size` bytes (Linux).
int cs_set_pipe_size(int fd, int size);
/// gettid(2): the calling thread's id, as /proc/self/task/<tid> names it.
pid_t cs_gettid(void);
/// setrlimit(RLIMIT_NPROC, {limit, limit}).
int cs_set_process_limit(unsigned long limit);
/// A pseudo-terminal (pty(7)): posix_openpt, grantpt, unlockpt, ptsname_r, then open of the
/// slave, both ends O_NOCTTY and close-on-exec; Python's `pty.openpty()`. Returns -1 with errno.
int cs_open_pseudo_terminal(int *master, int *slave);

// MARK: Syscall numbers, for reading /proc/<tid>/syscall.
int cs_sys_wait4(void);
int cs_sys_waitid(void);
int cs_sys_exit(void);
int cs_sys_exit_group(void);
int cs_sys_read(void);
int cs_sys_accept(void);
int cs_sys_accept4(void);
int cs_sys_recvfrom(void);
int cs_sys_recvmsg(void);
int cs_sys_poll(void);
int cs_sys_ppoll(void);

// MARK: The standard streams, which Swift 6 refuses as shared mutable globals.
#include <stdio.h>
static inline FILE *cs_stdin(void) { return stdin; }
static inline FILE *cs_stdout(void) { return stdout; }
static inline FILE *cs_stderr(void) { return stderr; }

// MARK: Shared memory layouts, fixed in C so every process reads them alike.
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>

/// The head of a multiprocessing queue (Multiprocessing/Queue): a ring of `capacity` bytes
/// follows it. Every field is read and written with `mutex` held.
typedef struct {
    pthread_mutex_t mutex;
    /// Getters wait here for a value; a reader of a long value waits for its bytes.
    pthread_cond_t not_empty;
    /// Putters wait here for room; a writer of a long value waits for space.
    pthread_cond_t not_full;
    /// The most values it holds; 0 or less: no limit.
    int64_t maxsize;
    /// Values put and not yet got (qsize), counting one being written or read.
    int64_t messages;
    /// Values whose length is in the ring and that no getter has started reading.
    int64_t frames;
    /// Where the next byte is read and written, as offsets into the ring.
    int64_t head, tail;
    /// Bytes between head and tail.
    int64_t used;
    /// Size of the ring.
    int64_t capacity;
    /// Set while one value is written or read in pieces, longer than the ring has room for.
    int32_t writer_busy, reader_busy;
} cs_queue_header;

/// A semaphore and the mutex that makes a bounded release's check and post one step.
typedef struct {
    sem_t semaphore;
    pthread_mutex_t release_mutex;
    /// The initial value of a bounded semaphore; -1 for an unbounded one.
    int64_t bound;
} cs_semaphore;

/// A load other processes' stores become visible to, for a waiter spinning on shared memory.
static inline int64_t cs_load_acquire(const int64_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }

/// The CPU's spin-wait hint (x86 `pause`, arm `yield`).
static inline void cs_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// MARK: Atomics and futexes, for the locks of the threads chapter (Threading/).
/// Reads `*address`; writes by other threads before their release are visible.
static inline uint32_t cs_atomic_load_u32(const uint32_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }
static inline void cs_atomic_store_u32(uint32_t *address, uint32_t value) { __atomic_store_n(address, value, __ATOMIC_RELEASE); }
/// If `*address` is `expected`, makes it `desired`; returns the value it held either way.
static inline uint32_t cs_atomic_compare_exchange_u32(uint32_t *address, uint32_t expected, uint32_t desired) {
    __atomic_compare_exchange_n(address, &expected, desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    return expected;
}
/// Makes `*address` `value`; returns the value it held.
static inline uint32_t cs_atomic_exchange_u32(uint32_t *address, uint32_t value) {
    return __atomic_exchange_n(address, value, __ATOMIC_ACQ_REL);
}
static inline uint64_t cs_atomic_load_u64(const uint64_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }
static inline void cs_atomic_store_u64(uint64_t *address, uint64_t value) { __atomic_store_n(address, value, __ATOMIC_RELEASE); }
/// futex(2) FUTEX_WAIT_PRIVATE: sleeps while `*address` is `expected`, at most `timeout` (NULL: no
/// limit). Returns 0 when woken (or spuriously), -1 with errno EAGAIN (the value differed),
/// ETIMEDOUT or EINTR.
int cs_futex_wait(uint32_t *address, uint32_t expected, const struct timespec *timeout);
/// futex(2) FUTEX_WAKE_PRIVATE: wakes up to `count` threads sleeping on `address`.
int cs_futex_wake(uint32_t *address, int count);

/// sem_clockwait(3) (glibc 2.30, _GNU_SOURCE): sem_timedwait on a clock of our choice.
int cs_sem_clockwait(sem_t *semaphore, clockid_t clock, const struct timespec *deadline);

// MARK: epoll(7), and select(2)'s descriptor sets whose FD_* macros Swift cannot call (Networking/).
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/select.h>
/// accept4(2) with SOCK_CLOEXEC: the new connection's descriptor is not inherited by exec.
int cs_accept_cloexec(int fd, struct sockaddr *address, socklen_t *length);
static inline void cs_fd_zero(fd_set *set) { FD_ZERO(set); }
static inline void cs_fd_set(int fd, fd_set *set) { FD_SET(fd, set); }
static inline int cs_fd_isset(int fd, const fd_set *set) { return FD_ISSET(fd, set); }

// MARK: Names of errors and signals (glibc 2.32).
/// "ECHILD" for ECHILD, or NULL for an unknown number.
const char *cs_errno_name(int number);
/// "KILL" for SIGKILL, or NULL for an unknown number.
const char *cs_signal_abbreviation(int number);

#include "ServerSignals.h"
#include "CoroutineSwitch.h"

#endif
