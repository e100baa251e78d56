/// A stackful coroutine: Python's `greenlet.greenlet` (course: 第三方协程模块, greenlet模块,
/// day6/greenlet_0.py; 协程原理: the context of a function is saved when it is switched away from
/// and restored when it is switched back to).
///
/// Rules COROUTINE-1 ... COROUTINE-9 in RULES.md; the reference is `Coroutines.Coroutine`.
/// Deliberate differences: a value is one `Any?` where greenlet passes `*args, **kwargs` (no value
/// is `nil` where greenlet sends `()`); the parent is set with a throwing `setParent`, since a
/// Swift setter cannot throw.
public protocol CoroutineObject: AnyObject {
    /// `g.switch(value)`: runs this coroutine until it switches back or ends. The first switch
    /// starts its function with `value`; a later one makes the coroutine's own pending `switch`
    /// return `value`. Returns what the next switch to the caller sends, or what a coroutine whose
    /// parent is the caller returns; throws what such a coroutine throws. Switching to a dead
    /// coroutine switches to its parent instead (to the caller itself: `value` comes back at once).
    func `switch`(_ value: Any?) throws -> Any?
    /// `g.throw(error)`: raises `error` in this coroutine where it is paused (an unstarted one dies
    /// without running its function, and the error goes to its parent). A `CoroutineExit` that
    /// ends the coroutine is not raised in the parent: it is returned there as the value.
    func `throw`(_ error: any Error) throws -> Any?
    /// `g.dead`: its function has returned or thrown.
    var isDead: Bool { get }
    /// `bool(g)`: started and not dead.
    var isActive: Bool { get }
    /// `g.parent`: where its result goes when it ends; nil only for a thread's main coroutine.
    var parent: Self? { get }
    /// `g.parent = p`: a cycle of parents is `.cyclicParent` (Python: ValueError "cyclic parent chain").
    func setParent(_ parent: Self) throws(CoroutineError)
}

/// Makes coroutines.
public protocol CoroutineAPI {
    associatedtype Coroutine: CoroutineObject
    /// `greenlet.greenlet(run)`: a coroutine that has not started, whose parent is the current
    /// coroutine, with a stack of `stackSize` bytes (nil: the implementation's default).
    func coroutine(stackSize: Int?, _ body: @escaping (Any?) throws -> Any?) -> Coroutine
    /// `greenlet.getcurrent()`: the coroutine running now; on a thread that has switched to none
    /// yet, its main coroutine (the thread's own stack).
    func current() -> Coroutine
}

/// `greenlet.GreenletExit`: thrown into a coroutine to end it quietly. A coroutine it ends hands it
/// to its parent as a value, not as an error.
public struct CoroutineExit: Error, Equatable {
    public init() {}
}

/// Misuse of a coroutine (Python raises `ValueError` or `greenlet.error` for these).
public enum CoroutineError: Error, Equatable, CustomStringConvertible {
    /// Setting a parent that has the coroutine among its own parents (Python: ValueError "cyclic
    /// parent chain").
    case cyclicParent
    /// Switching to, or throwing into, a coroutine of another thread (Python: greenlet.error
    /// "cannot switch to a different thread").
    case otherThread

    public var description: String {
        switch self {
        case .cyclicParent: "cyclic parent chain"
        case .otherThread: "cannot switch to a coroutine of a different thread"
        }
    }
}
