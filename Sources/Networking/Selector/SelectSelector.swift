import CSystem
import Conformance
import Glibc

/// A selector on select(2) (Python: `select.select(r, w, x, timeout)`, `selectors.SelectSelector`):
/// each wait fills three descriptor bit sets, for reading (`.readable`), writing (`.writable`) and
/// exceptional conditions (`.priority`), and the kernel leaves only the ready bits set.
///
/// A set holds descriptors below FD_SETSIZE (1024) only: a larger one is refused at register, where
/// C's FD_SET would write past the set. select has no hang-up or invalid report: a hung-up
/// descriptor is readable (a read returns 0), and a closed one fails the whole call with EBADF.
public final class SelectSelector: SelectorObject {
    public var mechanism: IOMechanism { .select }
    private var interests = Interests(.select, supported: [.readable, .writable, .priority])

    public init() {}

    public func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        try interests.checkOpen()
        guard descriptor < FD_SETSIZE else { throw .descriptorTooLarge(descriptor) }
        guard descriptor >= 0 else { throw .badDescriptor(descriptor) }
        try interests.register(descriptor, for: events)
    }

    public func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        try interests.modify(descriptor, for: events)
    }

    public func unregister(_ descriptor: Int32) throws(SelectorError) {
        try interests.unregister(descriptor)
    }

    public func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] {
        try interests.checkOpen()
        let deadline = timeout.map { Deadline(after: $0) }
        var reading = fd_set(), writing = fd_set(), exceptional = fd_set()
        while true {
            fill(&reading, .readable)
            fill(&writing, .writable)
            fill(&exceptional, .priority)
            let highest = interests.descriptors.last ?? -1
            let ready: Int32
            if let deadline {
                let rest = deadline.remaining() ?? timespec()
                var left = timeval(tv_sec: rest.tv_sec, tv_usec: (rest.tv_nsec + 999) / 1000)
                ready = select(highest + 1, &reading, &writing, &exceptional, &left)
            } else {
                ready = select(highest + 1, &reading, &writing, &exceptional, nil)
            }
            if ready > 0 { break }
            if ready == 0 && deadline?.hasPassed ?? false { return [] }
            if ready < 0 && Errno.current.rawValue == EBADF { throw .badDescriptor(firstClosedDescriptor() ?? -1) }
            if ready < 0 && Errno.current != .interrupted { throw .system(call: "select", errno: .current) }
        }
        return interests.descriptors.compactMap { descriptor in
            var events: IOEvents = []
            if cs_fd_isset(descriptor, &reading) != 0 { events.insert(.readable) }
            if cs_fd_isset(descriptor, &writing) != 0 { events.insert(.writable) }
            if cs_fd_isset(descriptor, &exceptional) != 0 { events.insert(.priority) }
            return events.isEmpty ? nil : ReadyDescriptor(descriptor: descriptor, events: events)
        }
    }

    public func close() { interests.close() }

    /// Puts each descriptor that asked for `event` in `set`.
    private func fill(_ set: inout fd_set, _ event: IOEvents) {
        cs_fd_zero(&set)
        for (descriptor, asked) in interests.events where asked.contains(event) { cs_fd_set(descriptor, &set) }
    }

    /// The registered descriptor that is not open, which made select fail with EBADF.
    private func firstClosedDescriptor() -> Int32? {
        interests.descriptors.first { fcntl($0, F_GETFD) == -1 }
    }
}
