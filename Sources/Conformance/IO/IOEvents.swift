/// What a selector waits for and reports about a descriptor: a set of the kernel's own event bits
/// (course: @@扩展: 位运算, bit operations).
///
/// The raw values are poll(2)'s and epoll(7)'s bits, which Linux makes the same (`POLLIN` ==
/// `EPOLLIN` == 0x001), so a mask goes to the kernel unchanged. An `OptionSet` is a set written
/// with bit operations: `[.readable, .writable]` is `POLLIN | POLLOUT`, `a.union(b)` is `a | b`,
/// `a.intersection(b)` is `a & b` and `a.contains(.readable)` is `a & POLLIN != 0`.
/// Python writes the same bits as integers: `select.POLLIN | select.POLLOUT`.
public struct IOEvents: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `POLLIN` / `EPOLLIN` (0x001): data to read, a connection to accept, or end of file.
    public static let readable = IOEvents(rawValue: 0x001)
    /// `POLLPRI` / `EPOLLPRI` (0x002): urgent data (select's exceptional set).
    public static let priority = IOEvents(rawValue: 0x002)
    /// `POLLOUT` / `EPOLLOUT` (0x004): room to write without blocking.
    public static let writable = IOEvents(rawValue: 0x004)
    /// `POLLERR` / `EPOLLERR` (0x008): an error is pending; always reported, never asked for.
    public static let error = IOEvents(rawValue: 0x008)
    /// `POLLHUP` / `EPOLLHUP` (0x010): hang-up (a pipe's writers all closed, a socket shut both
    /// ways); always reported, never asked for.
    public static let hangUp = IOEvents(rawValue: 0x010)
    /// `POLLNVAL` (0x020): the descriptor is not open; reported by poll only.
    public static let invalid = IOEvents(rawValue: 0x020)
    /// `POLLRDHUP` / `EPOLLRDHUP` (0x2000): the stream peer closed its end (sent FIN).
    public static let readHangUp = IOEvents(rawValue: 0x2000)
    /// `EPOLLONESHOT` (1 << 30): report once, then nothing until the registration is modified.
    public static let oneShot = IOEvents(rawValue: 1 << 30)
    /// `EPOLLET` (1 << 31): edge-triggered, report each arrival once instead of every wait while
    /// ready.
    public static let edgeTriggered = IOEvents(rawValue: 1 << 31)

    /// The events that are always reported, asked for or not.
    public static let alwaysReported: IOEvents = [.error, .hangUp, .invalid]
    /// The flags that change how epoll reports; they are never reported themselves.
    public static let epollFlags: IOEvents = [.oneShot, .edgeTriggered]

    /// The names of the set bits, e.g. `[readable, writable]`.
    public var description: String {
        let names: [(IOEvents, String)] = [
            (.readable, "readable"), (.priority, "priority"), (.writable, "writable"), (.error, "error"),
            (.hangUp, "hangUp"), (.invalid, "invalid"), (.readHangUp, "readHangUp"), (.oneShot, "oneShot"),
            (.edgeTriggered, "edgeTriggered"),
        ]
        var parts = names.filter { contains($0.0) }.map(\.1)
        let unnamed = rawValue & ~names.reduce(0) { $0 | $1.0.rawValue }
        if unnamed != 0 { parts.append("0x" + String(unnamed, radix: 16)) }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
