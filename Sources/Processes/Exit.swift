import Conformance

/// The reference of `os._exit(n)`, `sys.exit(n)` and `sys.exit("message")`.
public struct Exit: ExitAPI {
    public init() {}

    /// Ends now: no atexit handlers, unflushed stdio output is lost. The corresponding C function is `_exit(2)`.
    /// A forked child that must not run its parent's cleanup ends this way.
    public func exitImmediately(_ status: CInt) -> Never { system__exit(status) }

    /// Ends normally: atexit handlers run, then stdio buffers are flushed. The corresponding C
    /// function is `exit(3)`. The kernel keeps `status & 0xff` for the parent.
    public func exit(_ status: CInt) -> Never { system_exit(status) }

    /// Like `sys.exit("message")`: the message and a newline on stderr, then `exit(1)`.
    public func exit(message: String) -> Never {
        writeAll(message + "\n", to: 2)
        system_exit(1)
    }

    /// Writes every byte of `text`, looping over short writes and retrying `EINTR`.
    private func writeAll(_ text: String, to fd: CInt) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { chunk in valueOrErrno { system_write(fd, chunk) } }
            guard case .success(let count) = written else { return }
            bytes = bytes.dropFirst(count)
        }
    }
}
