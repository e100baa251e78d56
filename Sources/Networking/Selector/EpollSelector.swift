import CSystem
import Conformance
import Glibc

/// A selector on epoll(7) (Python: `select.epoll()`, `selectors.EpollSelector`): the interest list
/// lives in the kernel, changed by epoll_ctl(2), so a wait costs what is ready, not what is watched.
///
/// Level-triggered unless `.edgeTriggered` (EPOLLET) is asked; `.oneShot` (EPOLLONESHOT) reports
/// once until `modify` re-arms it. The kernel forgets a descriptor when its last copy is closed.
public final class EpollSelector: SelectorObject {
    public var mechanism: IOMechanism { .epoll }
    private var epoll: Int32
    /// Room for one wait's reports; more ready descriptors are reported by the next wait.
    private var reports = [epoll_event](repeating: epoll_event(), count: 1024)

    public init() throws(SelectorError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw .system(call: "epoll_create1", errno: .current) }
    }

    deinit { close() }

    public func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        try control(EPOLL_CTL_ADD, descriptor, events)
    }

    public func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) {
        try control(EPOLL_CTL_MOD, descriptor, events)
    }

    public func unregister(_ descriptor: Int32) throws(SelectorError) {
        try control(EPOLL_CTL_DEL, descriptor, [])
    }

    public func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] {
        guard epoll >= 0 else { throw .closed }
        let deadline = timeout.map { Deadline(after: $0) }
        while true {
            let ready = epoll_wait(epoll, &reports, Int32(reports.count), deadline?.remainingMilliseconds() ?? -1)
            if ready > 0 {
                return reports[..<Int(ready)].map {
                    ReadyDescriptor(descriptor: $0.data.fd, events: IOEvents(rawValue: $0.events).subtracting(IOEvents.epollFlags))
                }
            }
            if ready == 0 && deadline?.hasPassed ?? false { return [] }
            if ready < 0 && Errno.current != .interrupted { throw .system(call: "epoll_wait", errno: .current) }
        }
    }

    public func close() {
        guard epoll >= 0 else { return }
        Glibc.close(epoll)
        epoll = -1
    }

    /// epoll_ctl(2), its errors typed: EEXIST, ENOENT, EBADF.
    private func control(_ operation: Int32, _ descriptor: Int32, _ events: IOEvents) throws(SelectorError) {
        guard epoll >= 0 else { throw .closed }
        guard !events.contains(.invalid) else { throw .unsupported(.invalid, .epoll) }
        var event = epoll_event(events: events.rawValue, data: epoll_data_t(fd: descriptor))
        guard epoll_ctl(epoll, operation, descriptor, &event) == 0 else {
            switch Errno.current.rawValue {
            case EEXIST: throw .alreadyRegistered(descriptor)
            case ENOENT: throw .notRegistered(descriptor)
            case EBADF: throw .badDescriptor(descriptor)
            default: throw .system(call: "epoll_ctl", errno: .current)
            }
        }
    }
}
