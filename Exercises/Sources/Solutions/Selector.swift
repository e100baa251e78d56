import Conformance

/// One selector interface over select(2), poll(2) and epoll(7): Python's `selectors` module
/// (course: IO多路复用, day5 select_server.py, poll_server.py, epoll_server.py; 位运算).
///
/// Rules SELECT-1 ... SELECT-12 (RULES.md). Grade just these: `make grade RULES=selector`.
/// Hints: `IOEvents` raw values are already the kernel's bits: hand them to poll and epoll as they
/// are, and test them with `contains` / `intersection`. For select, Swift cannot call FD_SET: the
/// kit's `CSystem` module is not yours to import, so write the bit arithmetic on `fd_set`'s
/// words yourself (a lesson in 位运算), and check FD_SETSIZE first. Seconds for every timeout.
public final class StudentSelector: SelectorObject {
    public var mechanism: IOMechanism { notImplemented() }
    public func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) { notImplemented() }
    public func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) { notImplemented() }
    public func unregister(_ descriptor: Int32) throws(SelectorError) { notImplemented() }
    public func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] { notImplemented() }
    public func close() { notImplemented() }
}

/// Makes selectors for the spec.
public struct StudentSelectors: SelectorAPI {
    public init() {}

    public func selector(_ mechanism: IOMechanism) throws(SelectorError) -> StudentSelector { notImplemented() }
}
