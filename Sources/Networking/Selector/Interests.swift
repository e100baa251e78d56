import Conformance

/// What select and poll watch, kept in user space (epoll keeps its own in the kernel): each
/// registered descriptor with the events asked for, and the typed errors epoll's kernel gives;
/// every call after `close()` throws `.closed`.
struct Interests {
    private(set) var events: [Int32: IOEvents] = [:]
    private(set) var isClosed = false
    /// The events the mechanism can express.
    let supported: IOEvents
    let mechanism: IOMechanism

    init(_ mechanism: IOMechanism, supported: IOEvents) {
        self.mechanism = mechanism
        self.supported = supported
    }

    /// The descriptors in ascending order, so waits report them in a stable order.
    var descriptors: [Int32] { events.keys.sorted() }

    mutating func register(_ descriptor: Int32, for asked: IOEvents) throws(SelectorError) {
        try check(asked)
        guard events[descriptor] == nil else { throw .alreadyRegistered(descriptor) }
        events[descriptor] = asked
    }

    mutating func modify(_ descriptor: Int32, for asked: IOEvents) throws(SelectorError) {
        try check(asked)
        guard events[descriptor] != nil else { throw .notRegistered(descriptor) }
        events[descriptor] = asked
    }

    mutating func unregister(_ descriptor: Int32) throws(SelectorError) {
        guard !isClosed else { throw .closed }
        guard events.removeValue(forKey: descriptor) != nil else { throw .notRegistered(descriptor) }
    }

    mutating func close() { isClosed = true }

    /// Throws `.closed` after `close()`, as every call does.
    func checkOpen() throws(SelectorError) {
        guard !isClosed else { throw .closed }
    }

    private func check(_ asked: IOEvents) throws(SelectorError) {
        guard !isClosed else { throw .closed }
        let unsupported = asked.subtracting(supported)
        guard unsupported.isEmpty else { throw .unsupported(unsupported, mechanism) }
    }
}
