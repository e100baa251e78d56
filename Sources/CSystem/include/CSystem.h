// CSystem: only what Swift cannot call directly.
//
// The wait-status macros (WIFEXITED ...) are macros with arguments, which Swift does not
// import; prctl and syscall are variadic; memfd_create, pidfd_open and the glibc name
// lookups need _GNU_SOURCE. Everything Glibc already imports is called from Swift.
#ifndef CSYSTEM_H
#define CSYSTEM_H

#include <sys/types.h>
#include <sys/wait.h>

// MARK: Wait status macros, wait(2). These are the oracle the specs compare against.
static inline int cs_wifexited(int status) { return WIFEXITED(status); }
static inline int cs_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int cs_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int cs_wtermsig(int status) { return WTERMSIG(status); }
static inline int cs_wcoredump(int status) { return WCOREDUMP(status); }
static inline int cs_wifstopped(int status) { return WIFSTOPPED(status); }
static inline int cs_wstopsig(int status) { return WSTOPSIG(status); }
static inline int cs_wifcontinued(int status) { return WIFCONTINUED(status); }

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

// MARK: Calls and constants Swift's Glibc module leaves out.
/// pipe2(fds, O_CLOEXEC).
int cs_pipe_cloexec(int fds[2]);
/// fcntl(fd, F_SETPIPE_SZ, size): the pipe's capacity becomes at least `size` bytes (Linux).
int cs_set_pipe_size(int fd, int size);
/// gettid(2): the calling thread's id, as /proc/self/task/<tid> names it.
pid_t cs_gettid(void);
/// setrlimit(RLIMIT_NPROC, {limit, limit}).
int cs_set_process_limit(unsigned long limit);

// MARK: Syscall numbers, for reading /proc/<tid>/syscall.
int cs_sys_wait4(void);
int cs_sys_waitid(void);
int cs_sys_exit(void);
int cs_sys_exit_group(void);

// MARK: The standard streams, which Swift 6 refuses as shared mutable globals.
#include <stdio.h>
static inline FILE *cs_stdin(void) { return stdin; }
static inline FILE *cs_stdout(void) { return stdout; }
static inline FILE *cs_stderr(void) { return stderr; }

// MARK: Names of errors and signals (glibc 2.32).
/// "ECHILD" for ECHILD, or NULL for an unknown number.
const char *cs_errno_name(int number);
/// "KILL" for SIGKILL, or NULL for an unknown number.
const char *cs_signal_abbreviation(int number);

#endif
