import Conformance
import CSystem
import Glibc

/// A `Lock` that tells the process's `LockGraph` when a thread waits for it, takes it and
/// releases it, so that deadlocks can be found and lock orders checked (DEADLOCK-2, -3).
public final class TrackedLock: LockObject, @unchecked Sendable {
    public let name: String
    private let inner = Lock()
    private let graph: LockGraph
    let id: Int

    public init(name: String, graph: LockGraph = .shared) {
        self.name = name
        self.graph = graph
        id = graph.register(name)
    }

    public func acquire(blocking: Bool = true, timeout: Double? = nil) throws(LockError) -> Bool {
        try Lock.check(blocking: blocking, timeout: timeout)
        let me = cs_gettid()
        graph.willAcquire(id, by: me)
        let taken = try inner.acquire(blocking: blocking, timeout: timeout)
        graph.didAcquire(id, by: me, taken: taken)
        return taken
    }

    public func release() throws(LockError) {
        graph.didRelease(id)
        try inner.release()
    }

    public var isLocked: Bool { inner.isLocked }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = try? acquire()
        defer { try? release() }
        return try body()
    }
}
