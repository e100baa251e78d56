import Conformance

/// A flag threads wait for: Python's `threading.Event` (course: 线程Event).
///
/// A futex word, 0 or 1: `wait` sleeps in futex_wait while it is 0; `set` makes it 1 and wakes
/// every sleeper at once (EVENT-3).
public final class Event: EventObject, @unchecked Sendable {
    private let word = FutexWord(0)

    public init() {}

    public func set() {
        word.store(1)
        word.wake(Int32.max)
    }

    public func clear() { word.store(0) }

    public var isSet: Bool { word.value == 1 }

    public func wait(timeout: Double? = nil) -> Bool {
        let deadline = timeout.map { Deadline(after: $0) }
        while word.value == 0 {
            guard word.wait(while: 0, until: deadline) else { return false }
        }
        return true
    }
}

/// The reference `EventAPI`.
public struct EventFactory: EventAPI {
    public init() {}
    public func event() -> Event { Event() }
}
