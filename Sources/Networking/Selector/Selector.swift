import Conformance

/// A selector on the mechanism chosen when it is made, for code that picks one by name (as
/// `echo-server --model select|poll|epoll`); each mechanism's class is also usable on its own.
public final class Selector: SelectorObject {
    private let chosen: any SelectorObject

    public init(_ mechanism: IOMechanism) throws(SelectorError) {
        switch mechanism {
        case .select: chosen = SelectSelector()
        case .poll: chosen = PollSelector()
        case .epoll: chosen = try EpollSelector()
        }
    }

    public var mechanism: IOMechanism { chosen.mechanism }
    public func register(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) { try chosen.register(descriptor, for: events) }
    public func modify(_ descriptor: Int32, for events: IOEvents) throws(SelectorError) { try chosen.modify(descriptor, for: events) }
    public func unregister(_ descriptor: Int32) throws(SelectorError) { try chosen.unregister(descriptor) }
    public func wait(timeout: Double?) throws(SelectorError) -> [ReadyDescriptor] { try chosen.wait(timeout: timeout) }
    public func close() { chosen.close() }
}

/// The reference `SelectorAPI`.
public struct SelectorFactory: SelectorAPI {
    public init() {}
    public func selector(_ mechanism: IOMechanism) throws(SelectorError) -> Selector { try Selector(mechanism) }
}
