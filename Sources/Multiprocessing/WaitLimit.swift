import Conformance
/// How long a call may wait, from Python's `(block, timeout)` pair: `block=False` does not wait
/// whatever the timeout, a timeout of 0 or less does not wait either, `None` waits for ever.
enum WaitLimit {
    case none
    case forever
    case until(Deadline)

    init(block: Bool, timeout: Double?) {
        if !block {
            self = .none
        } else if let timeout {
            self = timeout <= 0 ? .none : .until(Deadline(after: timeout))
        } else {
            self = .forever
        }
    }

    /// Whether waiting is allowed now, and until when (nil: no limit). False once it has passed.
    func allowsWaiting() -> (Bool, Deadline?) {
        switch self {
        case .none: (false, nil)
        case .forever: (true, nil)
        case .until(let deadline): (!deadline.hasPassed, deadline)
        }
    }
}
