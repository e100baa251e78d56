#define _GNU_SOURCE
#include "CSystem.h"

#include <linux/futex.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int cs_set_child_subreaper(int on) { return prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)on, 0, 0, 0); }

int cs_get_child_subreaper(int *on) { return prctl(PR_GET_CHILD_SUBREAPER, on, 0, 0, 0); }

int cs_set_process_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }

int cs_set_parent_death_signal(int signal) { return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0); }

int cs_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, (unsigned long)on, 0, 0, 0); }

int cs_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int cs_memfd_create(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

int cs_close_from(unsigned int first) { return (int)syscall(SYS_close_range, first, ~0U, 0); }

int cs_spawn_close_from(posix_spawn_file_actions_t *actions, int first) {
    return posix_spawn_file_actions_addclosefrom_np(actions, first);
}

int cs_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cs_set_pipe_size(int fd, int size) { return fcntl(fd, F_SETPIPE_SZ, size); }

pid_t cs_gettid(void) { return gettid(); }

int cs_set_process_limit(unsigned long limit) {
    struct rlimit value = {limit, limit};
    return setrlimit(RLIMIT_NPROC, &value);
}

int cs_sys_wait4(void) { return SYS_wait4; }

int cs_sys_waitid(void) { return SYS_waitid; }
int cs_sys_exit(void) { return SYS_exit; }
int cs_sys_exit_group(void) { return SYS_exit_group; }
int cs_sys_read(void) { return SYS_read; }
int cs_sys_accept(void) { return SYS_accept; }
int cs_sys_accept4(void) { return SYS_accept4; }
int cs_sys_recvfrom(void) { return SYS_recvfrom; }
int cs_sys_recvmsg(void) { return SYS_recvmsg; }
int cs_sys_poll(void) { return SYS_poll; }
int cs_sys_ppoll(void) { return SYS_ppoll; }

const char *cs_errno_name(int number) { return strerrorname_np(number); }

const char *cs_signal_abbreviation(int number) { return sigabbrev_np(number); }

int cs_sem_clockwait(sem_t *semaphore, clockid_t clock, const struct timespec *deadline) {
    return sem_clockwait(semaphore, clock, deadline);
}

int cs_futex_wait(uint32_t *address, uint32_t expected, const struct timespec *timeout) {
    return (int)syscall(SYS_futex, address, FUTEX_WAIT_PRIVATE, expected, timeout, NULL, 0);
}

int cs_futex_wake(uint32_t *address, int count) {
    return (int)syscall(SYS_futex, address, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}

int cs_accept_cloexec(int fd, struct sockaddr *address, socklen_t *length) {
    return accept4(fd, address, length, SOCK_CLOEXEC);
}

int cs_open_pseudo_terminal(int *master, int *slave) {
    char name[128];
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    if (grantpt(m) == 0 && unlockpt(m) == 0 && ptsname_r(m, name, sizeof name) == 0) {
        int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (s >= 0) {
            *master = m;
            *slave = s;
            return 0;
        }
    }
    int saved = errno;
    close(m);
    errno = saved;
    return -1;
}

int cs_unshare_pid_namespace(void) {
    if (unshare(CLONE_NEWPID) == 0) return 0;
    if (errno != EPERM) return -1;
    return unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0 ? 1 : -1;
}
