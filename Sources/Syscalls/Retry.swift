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
