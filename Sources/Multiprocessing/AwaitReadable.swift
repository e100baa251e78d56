import Conformance
import Glibc

extension Deadline {
    /// Waits until `descriptor` polls readable (true) or the deadline passes (false); nil waits
    /// without limit. EINTR and early wake-ups poll again for what is left.
    static func awaitReadable(_ descriptor: CInt, until deadline: Deadline?) -> Result<Bool, Errno> {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, deadline?.remainingMilliseconds() ?? -1)
            if ready > 0 { return .success(true) }
            if ready == 0 && deadline?.hasPassed ?? false { return .success(false) }
            if ready < 0 && Errno.current != .interrupted { return .failure(.current) }
        }
    }
}
