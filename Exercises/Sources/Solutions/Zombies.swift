import Conformance

/// Seeing and avoiding zombies: `/proc/<pid>/stat`, the double fork (day1/child.py) and
/// `signal.signal(SIGCHLD, SIG_IGN)` (course: 孤儿和僵尸).
///
/// Rules ZOMBIE-1 ... ZOMBIE-6 (RULES.md). Grade just these: `make grade RULES=zombies`.
public struct StudentZombies: ZombieAPI {
    public init() {}

    public func state(of pid: ProcessID) throws(Errno) -> ProcessState { notImplemented() }

    public func doubleFork(_ work: () -> Void) throws(Errno) { notImplemented() }

    public func signal(_ signal: Signal, _ disposition: SignalDisposition) throws(Errno) -> SignalDisposition {
        notImplemented()
    }
}
