import CSystem
import Glibc

// The only file of the process layer that calls the C library. Each shim is one call, so a
// reader sees exactly which system call a wrapper makes; errors are read from `errno` by the
// caller. The names follow swift-system's `system_*` shims.

/// fork(2).
public func system_fork() -> pid_t { Glibc.fork() }

/// getpid(2).
public func system_getpid() -> pid_t { Glibc.getpid() }

/// getppid(2).
public func system_getppid() -> pid_t { Glibc.getppid() }

/// _exit(2): ends the process now; no exit handlers, no stdio flushing.
public func system__exit(_ status: CInt) -> Never { Glibc._exit(status) }

/// exit(3): runs the `atexit` handlers, flushes and closes stdio streams, then `_exit`.
public func system_exit(_ status: CInt) -> Never { Glibc.exit(status) }

/// waitpid(2).
public func system_waitpid(_ pid: pid_t, _ status: inout CInt, _ options: CInt) -> pid_t {
    Glibc.waitpid(pid, &status, options)
}

/// sigaction(2).
public func system_sigaction(
    _ signal: CInt, _ action: UnsafePointer<sigaction>?, _ old: UnsafeMutablePointer<sigaction>?
) -> CInt {
    sigaction(signal, action, old)
}

/// prctl(PR_SET_CHILD_SUBREAPER, on).
public func system_set_child_subreaper(_ on: Bool) -> CInt { cs_set_child_subreaper(on ? 1 : 0) }

/// prctl(PR_SET_PDEATHSIG, signal): `signal` arrives when the thread that forked this process ends.
public func system_set_parent_death_signal(_ signal: CInt) -> CInt { cs_set_parent_death_signal(signal) }

/// pidfd_open(2): a descriptor that polls readable once the process has ended.
public func system_pidfd_open(_ pid: pid_t) -> CInt { cs_pidfd_open(pid) }

/// prctl(PR_GET_CHILD_SUBREAPER, &on).
public func system_get_child_subreaper(_ on: inout CInt) -> CInt { cs_get_child_subreaper(&on) }

/// open(2) for reading, with `O_CLOEXEC`.
public func system_open_read(_ path: String) -> CInt { Glibc.open(path, O_RDONLY | O_CLOEXEC) }

/// read(2).
public func system_read(_ fd: CInt, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    Glibc.read(fd, buffer.baseAddress, buffer.count)
}

/// write(2).
public func system_write(_ fd: CInt, _ buffer: UnsafeRawBufferPointer) -> Int {
    Glibc.write(fd, buffer.baseAddress, buffer.count)
}

/// close(2).
public func system_close(_ fd: CInt) -> CInt { Glibc.close(fd) }

/// The C `stdin`, `stdout` and `stderr` streams, which Swift 6 will not read as shared mutable globals.
public var system_stdin: UnsafeMutablePointer<FILE> { cs_stdin() }
public var system_stdout: UnsafeMutablePointer<FILE> { cs_stdout() }
public var system_stderr: UnsafeMutablePointer<FILE> { cs_stderr() }

/// gettid(2): the calling thread's id; equal to getpid() in the main thread.
public func system_gettid() -> pid_t { cs_gettid() }

/// pipe2(fds, O_CLOEXEC): a pipe whose ends are closed by exec (fork keeps them).
public func system_pipe_cloexec(_ ends: inout [CInt]) -> CInt { cs_pipe_cloexec(&ends) }

/// fcntl(fd, F_SETPIPE_SZ, size): the pipe holds at least `size` bytes before a write blocks;
/// returns the new capacity. An unprivileged process may not exceed /proc/sys/fs/pipe-max-size.
public func system_set_pipe_size(_ fd: CInt, _ size: CInt) -> CInt { cs_set_pipe_size(fd, size) }
