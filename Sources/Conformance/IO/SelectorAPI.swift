/// The kernel mechanism behind a selector (course: IO多路复用 select, poll, epoll).
public enum IOMechanism: String, CaseIterable, Sendable, CustomStringConvertible {
    /// select(2): three descriptor bit sets, descriptors below `FD_SETSIZE` (1024) only.
    case select
    /// poll(2): an array of (descriptor, events asked, events returned).
    case poll
    /// epoll(7): an interest list kept in the kernel, level- or edge-triggered.
    case epoll

    public var description: String { rawValue }
}

/// One descriptor a wait found ready, with what it is ready for.
public struct ReadyDescriptor: Hashable, Sendable, CustomStringConvertible {
    public let descriptor: Int32
    public let events: IOEvents

    public init(descriptor: Int32, events: IOEvents) {
        self.descriptor = descriptor
        self.events = events
    }

    public var description: String { "\(descriptor) \(events)" }
}

/// A set of descriptors to wait on with one kernel mechanism: Python's `selectors` module over
/// `select.select`, `select.poll` and `select.epoll` (course: IO多路复用, day5 select_server.py,
/// poll_server.py, epoll_server.py).
///
/// Rules SELECT-1 ... SELECT-12 in RULES.md; the reference is `Networking.Selector`.
/// Timeouts are seconds for every mechanism, as in `selectors` (Python's `poll.poll` takes
/// milliseconds, `epoll.poll` and `select.select` seconds).
public protocol SelectorObject: AnyObject {
    /// The kernel mechanism it uses.
    var mechanism: IOMechanism { get }
    /// Starts watching `descriptor` for `events` (`selectors.register`, `epoll.register`).
    /// A descriptor already registered is `.alreadyRegistered`.
    func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError)
    /// Changes the events watched (`modify`); re-arms a one-shot registration.
    func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError)
    /// Stops watching `descriptor` (`unregister`).
    func unregister(_ descriptor: Int32) throws(SelectorError)
    /// Waits until a registered descriptor is ready, and returns each ready one with the events
    /// both asked for and ready (`.error`, `.hangUp` and `.invalid` always). `timeout`: nil waits
    /// for ever, 0 or less returns at once, t returns nothing after t seconds.
    func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor]
    /// Releases the kernel's resources (the epoll descriptor); later calls throw `.closed`.
    /// Closing twice does nothing.
    func close()
}

/// Makes selectors.
public protocol SelectorAPI {
    associatedtype Selector: SelectorObject
    /// A selector on `mechanism` (`selectors.SelectSelector()`, `PollSelector()`, `EpollSelector()`).
    func selector(_ mechanism: IOMechanism) throws(SelectorError) -> Selector
}

/// What a selector refuses (Python raises `KeyError`, `ValueError` or `OSError` for these).
public enum SelectorError: Error, Equatable, CustomStringConvertible {
    /// register of a descriptor already registered (epoll_ctl EEXIST; Python's selectors: KeyError).
    case alreadyRegistered(Int32)
    /// modify or unregister of a descriptor not registered (epoll_ctl ENOENT; selectors: KeyError).
    case notRegistered(Int32)
    /// select(2) cannot hold a descriptor at or above FD_SETSIZE (Python: ValueError
    /// "filedescriptor out of range in select()").
    case descriptorTooLarge(Int32)
    /// A registered descriptor is no longer open, and select(2) failed with EBADF.
    case badDescriptor(Int32)
    /// Events the mechanism cannot express, e.g. `.edgeTriggered` with poll, `.readHangUp` with
    /// select.
    case unsupported(IOEvents, IOMechanism)
    /// A call on a closed selector (Python: ValueError "I/O operation on closed epoll object").
    case closed
    /// Any other failed system call.
    case system(call: String, errno: Errno)

    public var description: String {
        switch self {
        case .alreadyRegistered(let fd): "descriptor \(fd) is already registered"
        case .notRegistered(let fd): "descriptor \(fd) is not registered"
        case .descriptorTooLarge(let fd): "descriptor \(fd) is at or above FD_SETSIZE (1024), which select cannot watch"
        case .badDescriptor(let fd): "registered descriptor \(fd) is not open"
        case .unsupported(let events, let mechanism): "\(mechanism) cannot watch for \(events)"
        case .closed: "the selector is closed"
        case .system(let call, let errno): "\(call) failed: \(errno)"
        }
    }
}
