import Conformance
import Glibc

/// A selector on poll(2) (Python: `select.poll()`, `selectors.PollSelector`): each wait hands the
/// kernel the whole array of (descriptor, events asked) and reads back what is ready.
///
/// poll reports a closed descriptor as `.invalid` (POLLNVAL) and cannot express epoll's flags.
public final class PollSelector: SelectorObject {
    public var mechanism: IOMechanism { .poll }
    private var interests = Interests(.poll, supported: IOEvents(rawValue: ~0).subtracting(IOEvents.epollFlags))

    public init() {}

    public func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
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
        var entries = interests.descriptors.map { descriptor in
            pollfd(fd: descriptor, events: Int16(truncatingIfNeeded: interests.events[descriptor]!.rawValue), revents: 0)
        }
        let deadline = timeout.map { Deadline(after: $0) }
        while true {
            let ready = poll(&entries, nfds_t(entries.count), deadline?.remainingMilliseconds() ?? -1)
            if ready > 0 { break }
            if ready == 0 && deadline?.hasPassed ?? false { return [] }
            if ready < 0 && Errno.current != .interrupted { throw .system(call: "poll", errno: .current) }
        }
        return entries.filter { $0.revents != 0 }.map {
            ReadyDescriptor(descriptor: $0.fd, events: IOEvents(rawValue: UInt32(UInt16(bitPattern: $0.revents))))
        }
    }

    public func close() { interests.close() }
}
