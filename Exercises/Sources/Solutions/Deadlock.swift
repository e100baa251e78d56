import Conformance

/// Deadlock: the two-lock scenario, a detector, a lock-order validator and the four ways to
/// prevent it (course: 死锁及其处理, day3/dead_lock.py).
///
/// Rules DEADLOCK-1 ... DEADLOCK-7 (RULES.md). Grade just these: `make grade RULES=deadlock`.
/// Hints: a tracked lock tells a process-wide table who waits for it, who holds it, and which
/// locks each thread held when it took it. The wait-for graph has an edge from a waiting thread
/// to the holder of the lock it waits for: a deadlock is a cycle. Lockdep remembers every
/// "A then B" and complains at the first "B then A".
public struct StudentDeadlocks: DeadlockAPI {
    public init() {}

    public func lock(named name: String) -> StudentLock { notImplemented() }
    public func deadlock() -> [WaitForEdge]? { notImplemented() }
    public func lockOrderInversions() -> [LockOrderInversion] { notImplemented() }
    public func withBoth(_ first: StudentLock, _ second: StudentLock, avoiding condition: DeadlockCondition,
                         afterFirst: () -> Void, _ body: () -> Void) {
        notImplemented()
    }
}
