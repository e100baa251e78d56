import Glibc

/// Runs a C call that returns -1 and sets `errno` on failure, and turns the outcome into a result.
///
/// When `retryOnInterrupt` is true, a failure with `EINTR` (a signal handler ran while the call was
/// blocked) repeats the call, as Python does for every system call since PEP 475. `close` must never
/// be retried: on Linux the descriptor is already released when it reports `EINTR`.
@inlinable
public func valueOrErrno<Value: FixedWidthInteger>(
    retryOnInterrupt: Bool = true, _ call: () -> Value
) -> Result<Value, Errno> {
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let error = Errno.current
        if retryOnInterrupt && error == .interrupted { continue }
        return .failure(error)
    }
}

/// Writes every one of `bytes` to `descriptor` (a file or a pipe), in as many write(2) calls as
/// it takes: a write may take fewer bytes than it was given. EINTR repeats the call; any other
/// failure, or a write that takes nothing, throws its errno (EIO for nothing taken).
public func writeAll(_ descriptor: CInt, _ bytes: some Collection<UInt8>) throws(Errno) {
    var rest = ArraySlice(bytes)
    while !rest.isEmpty {
        let count = rest.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { throw count == 0 ? Errno(rawValue: EIO) : .current }
        rest = rest.dropFirst(count)
    }
}
