import Conformance
import Glibc

/// A pipe(2), the one-way byte stream a `Connection` runs on: Python's `os.pipe()`.
///
/// Bytes written to `writeEnd` come out of `readEnd` in order. `read` returns 0 (end of file) once
/// every copy of the write end is closed; `write` fails with `EPIPE` once every copy of the read
/// end is closed, after the kernel has sent the writer SIGPIPE, whose default action kills it.
/// So `open()` first does what CPython does at start for every program: if SIGPIPE has its
/// default action, it is ignored from then on, and the failed write just reports `EPIPE`.
struct UnixPipe {
    /// Where the bytes come out.
    let readEnd: CInt
    /// Where the bytes go in.
    let writeEnd: CInt

    /// What a pipe holds before a write blocks: 1 MiB instead of Linux's 64 KiB, so a 64 KiB
    /// message fits at once and the writer can run ahead of the reader.
    static var capacity: CInt { 1 << 20 }

    /// pipe2(O_CLOEXEC), so an exec'd program does not inherit the ends (fork still does), with
    /// the capacity raised if the system allows (fcntl F_SETPIPE_SZ; refused beyond
    /// /proc/sys/fs/pipe-max-size or the user's pipe quota, and then the pipe works as it is).
    static func open() -> Result<UnixPipe, Errno> {
        ignoreBrokenPipeSignal()
        var ends: [CInt] = [-1, -1]
        return valueOrErrno { system_pipe_cloexec(&ends) }.map { _ in
            _ = system_set_pipe_size(ends[1], capacity)
            return UnixPipe(readEnd: ends[0], writeEnd: ends[1])
        }
    }

    /// Sets SIGPIPE to SIG_IGN if it is SIG_DFL, as CPython's start-up does; a handler or an
    /// SIG_IGN the program installed is left alone.
    private static func ignoreBrokenPipeSignal() {
        var current = sigaction()
        _ = system_sigaction(SIGPIPE, nil, &current)
        guard current.__sigaction_handler.sa_handler == nil else { return }  // SIG_DFL is the null handler
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        _ = system_sigaction(SIGPIPE, &ignore, nil)
    }

    /// Writes all of `bytes` to the write end `descriptor`, retrying short writes and EINTR;
    /// returns the error that stopped it (`EPIPE` when no reader is left).
    static func writeAll(_ descriptor: CInt, _ bytes: [UInt8]) -> Errno? {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                valueOrErrno { system_write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[written...])) }
            }
            switch count {
            case .success(let n): written += n
            case .failure(let error): return error
            }
        }
        return nil
    }
}
