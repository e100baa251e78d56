import Conformance
import Glibc
import Testing
import Threading

/// The detector and the validator name what they find: thread names and lock names a person can
/// act on, in sentences.
@Suite struct DeadlockReportTests {
    /// Verify that a real deadlock of two named `Thread`s is reported as "worker-1 holds A and
    /// waits for B" and "worker-2 holds B and waits for A", and the inversion with both orders.
    @Test func aDeadlockIsReportedWithNames() throws {
        let graph = LockGraph()
        let a = TrackedLock(name: "A", graph: graph), b = TrackedLock(name: "B", graph: graph)
        let bothHoldOne = Threading.Event()
        let holding = Threading.Lock()
        nonisolated(unsafe) var holders = 0
        func worker(_ name: String, _ first: TrackedLock, _ second: TrackedLock) -> Threading.Thread {
            Threading.Thread(name: name) {
                _ = try first.acquire()
                holding.withLock {
                    holders += 1
                    if holders == 2 { bothHoldOne.set() }
                }
                _ = bothHoldOne.wait()
                _ = try second.acquire()
                try second.release()
                try? first.release()
            }
        }
        let one = worker("worker-1", a, b), two = worker("worker-2", b, a)
        try one.start()
        try two.start()
        var cycle: [WaitForEdge]?
        for _ in 0..<10_000 where cycle == nil {
            cycle = graph.deadlock()
            usleep(1000)
        }
        let described = Set((cycle ?? []).map(\.description))
        let inversions = graph.inversions.map(\.description)
        try a.release()  // ends the deadlock: worker-2 gets A, then worker-1 gets B
        try one.join()
        try two.join()
        #expect(described == ["worker-1 holds A and waits for B", "worker-2 holds B and waits for A"])
        #expect(inversions.count == 1)
        #expect(inversions.first?.hasPrefix("A then B (thread ") == true || inversions.first?.hasPrefix("B then A (thread ") == true,
                "\(inversions)")
    }
}
