/// Deadlock (course: 死锁及其处理): the two-lock scenario, a detector of wait-for cycles, a
/// lock-order validator in the spirit of the Linux kernel's lockdep, and one prevention strategy
/// for each of the four necessary conditions (互斥, 请求和保持, 不剥夺, 环路等待).
///
/// Rules DEADLOCK-1 ... DEADLOCK-7 in RULES.md; the reference is `Threading.LockGraph` and
/// `Threading.TrackedLock`. Python has no detector: a deadlocked CPython program just hangs.
public protocol DeadlockAPI {
    associatedtype Lock: LockObject
    /// A lock the detector and the validator watch, named for their reports.
    func lock(named name: String) -> Lock
    /// The cycle of the wait-for graph among watched locks right now, one edge per thread in it,
    /// or nil when no thread waits in a cycle.
    func deadlock() -> [WaitForEdge]?
    /// Every pair of watched locks taken in both orders so far, even if no deadlock happened.
    func lockOrderInversions() -> [LockOrderInversion]
    /// Runs `body` holding both locks, acquired with the strategy that breaks `condition`.
    /// `afterFirst` runs once the first lock is held (or at once when the strategy holds none
    /// while waiting); the spec uses it to line two threads up the way that deadlocks.
    func withBoth(_ first: Lock, _ second: Lock, avoiding condition: DeadlockCondition,
                  afterFirst: () -> Void, _ body: () -> Void)
}

/// One thread of a deadlock: the lock it holds that another thread in the cycle waits for, and
/// the lock it waits for.
public struct WaitForEdge: Equatable, Sendable, CustomStringConvertible {
    /// The kernel's id of the thread (gettid).
    public let thread: Int32
    /// Its `Thread` name, or "thread <tid>".
    public let threadName: String
    public let holds: String
    public let waitsFor: String

    public init(thread: Int32, threadName: String, holds: String, waitsFor: String) {
        self.thread = thread
        self.threadName = threadName
        self.holds = holds
        self.waitsFor = waitsFor
    }

    public var description: String { "\(threadName) holds \(holds) and waits for \(waitsFor)" }
}

/// Two locks taken in both orders: a deadlock waiting to happen.
public struct LockOrderInversion: Equatable, Sendable, CustomStringConvertible {
    /// The lock taken first the first time the pair was seen, and the other.
    public let first: String
    public let second: String
    /// The thread that took `first` then `second`, and the one that took them the other way.
    public let inOrder: Int32
    public let reversed: Int32

    public init(first: String, second: String, inOrder: Int32, reversed: Int32) {
        self.first = first
        self.second = second
        self.inOrder = inOrder
        self.reversed = reversed
    }

    public var description: String {
        "\(first) then \(second) (thread \(inOrder)), but \(second) then \(first) (thread \(reversed))"
    }
}

/// The four necessary conditions of a deadlock; breaking any one prevents it.
public enum DeadlockCondition: String, CaseIterable, Sendable {
    /// 互斥: a resource is used by one thread at a time.
    case mutualExclusion
    /// 请求和保持: a thread holds one resource while it asks for another.
    case holdAndWait
    /// 不剥夺: a resource cannot be taken from the thread that holds it.
    case noPreemption
    /// 环路等待: threads wait for each other in a cycle.
    case circularWait
}
