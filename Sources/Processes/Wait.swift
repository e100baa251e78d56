import Conformance

/// The reference of `os.wait()`, `os.waitpid(pid, options)` and the `os.WIF...` decoders.
public struct Wait: WaitAPI {
    public init() {}

    /// Blocks until any child ends (`os.wait()`). The corresponding C function is `waitpid(-1, &status, 0)`.
    public func wait() throws(Errno) -> ChildStatus {
        // Without .noHang, waitpid(2) returns only with a child's status or an error.
        try waitpid(.anyChild, options: [])!
    }

    /// Waits for `pid` (`os.waitpid`). The corresponding C function is `waitpid(2)`.
    ///
    /// `nil` means `.noHang` was given and no child has changed state: Python's `(0, 0)`.
    /// `EINTR` is retried, as Python does since PEP 475.
    public func waitpid(_ pid: ProcessID, options: WaitOptions) throws(Errno) -> ChildStatus? {
        var raw: CInt = 0
        let changed = try valueOrErrno { system_waitpid(pid.rawValue, &raw, options.rawValue) }.get()
        if changed == 0 { return nil }
        return ChildStatus(pid: ProcessID(rawValue: changed), status: decode(raw))
    }

    /// Decodes the 16 low bits of a wait status (Linux, `bits/waitstatus.h`):
    ///
    ///     exited:     code << 8          (low 7 bits 0)
    ///     signaled:   signal | core 0x80 (low 7 bits 1...126)
    ///     stopped:    signal << 8 | 0x7f
    ///     continued:  0xffff
    public func decode(_ rawStatus: CInt) -> WaitStatus {
        let low7 = rawStatus & 0x7f
        let high = (rawStatus >> 8) & 0xff
        if low7 == 0 { return .exited(code: high) }
        if rawStatus & 0xffff == 0xffff { return .continued }
        if rawStatus & 0xff == 0x7f { return .stopped(Signal(rawValue: high)) }
        return .signaled(Signal(rawValue: low7), coreDumped: rawStatus & 0x80 != 0)
    }
}
