import CSystem
import Glibc

/// The checks of DEADLOCK-1 ... DEADLOCK-7 against an implementation of `DeadlockAPI`, with the
/// check's own threads (`CheckThread`). The course's two-lock scenario is made deterministic:
/// each thread takes its first lock and waits until the other has its own (or is asleep trying)
/// before it asks for its second.
public struct DeadlockSpec<Implementation: DeadlockAPI>: Spec {
    public static var concept: String { "deadlock" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("DEADLOCK-1", twoLocksInOppositeOrdersDeadlock),
            Check("DEADLOCK-2", theDetectorNamesTheCycle),
            Check("DEADLOCK-3", theValidatorReportsAnInversion),
            Check("DEADLOCK-4") { try scenarioFinishes(avoiding: .circularWait) },
            Check("DEADLOCK-5") { try scenarioFinishes(avoiding: .holdAndWait) },
            Check("DEADLOCK-6") { try scenarioFinishes(avoiding: .noPreemption) },
            Check("DEADLOCK-7") { try scenarioFinishes(avoiding: .mutualExclusion) },
        ]
    }

    /// Two threads, A then B and B then A, both asleep holding one lock each: the deadlock of
    /// DEADLOCK-1 and -2. Returns the locks and the threads, in that order.
    private func deadlocked() throws -> (Implementation.Lock, Implementation.Lock, CheckThread, CheckThread) {
        let a = implementation.lock(named: "A"), b = implementation.lock(named: "B")
        let holding = try Pipe(), proceed = try Pipe(), asking = try Pipe()
        func twoLocks(_ first: Implementation.Lock, _ second: Implementation.Lock) throws -> CheckThread {
            try CheckThread {
                _ = try? first.acquire(blocking: true, timeout: nil)
                holding.write(1)
                _ = try? proceed.readInt32("")
                asking.write(1)
                _ = try? second.acquire(blocking: true, timeout: nil)
                try? second.release()
                try? first.release()
            }
        }
        let one = try twoLocks(a, b), two = try twoLocks(b, a)
        for _ in 0..<2 { _ = try holding.readInt32("a thread ended before taking its first lock") }
        proceed.write([1, 1])
        // Only once both have left read(2) does "asleep" mean asleep in acquire.
        for _ in 0..<2 { _ = try asking.readInt32("a thread ended before asking for its second lock") }
        for thread in [one, two] {
            try expectTrue(thread.awaitAsleep("waiting for both threads to sleep on the other's lock"),
                           "a thread finished: acquire of a lock the other thread holds returned")
        }
        return (a, b, one, two)
    }

    /// Ends a deadlock from outside: A is released by the main thread (a plain lock has no owner),
    /// so the thread waiting for A finishes and frees B for the other.
    private func breakDeadlock(_ a: Implementation.Lock, _ threads: [CheckThread]) throws {
        step("releasing A from the main thread to end the deadlock")
        try a.release()
        for thread in threads { thread.join() }
    }

    /// DEADLOCK-1: the deadlocked threads are both still asleep after 0.1 s.
    func twoLocksInOppositeOrdersDeadlock() throws {
        let (a, _, one, two) = try deadlocked()
        usleep(100_000)
        try expectEqual(one.finished.isReadable() || two.finished.isReadable(), false,
                        "whether a deadlocked thread finished within 0.1 s")
        try breakDeadlock(a, [one, two])
    }

    /// DEADLOCK-2: no cycle while one thread merely waits for a held lock; then, deadlocked, the
    /// two edges: thread 1 holds A and waits for B, thread 2 holds B and waits for A.
    func theDetectorNamesTheCycle() throws {
        let held = implementation.lock(named: "C")
        _ = try held.acquire(blocking: true, timeout: nil)
        let announce = try Pipe()
        let waiter = try CheckThread {
            announce.write(1)
            _ = try? held.acquire(blocking: true, timeout: nil)
            try? held.release()
        }
        _ = try announce.readInt32("the waiting thread ended")
        try expectTrue(waiter.awaitAsleep("waiting for a thread to sleep on a held lock"), "acquire of a held lock returned")
        try expectTrue(implementation.deadlock() == nil, "deadlock() while one thread waits for a lock the main thread holds: \(String(describing: implementation.deadlock()))")
        try held.release()
        waiter.join()

        let (a, _, one, two) = try deadlocked()
        // A thread may be seen asleep a moment before its wait is on record (on a lock of the
        // detector's own, say): look until a cycle shows, or both have slept through 1000 looks.
        step("asking deadlock() until it reports the cycle")
        var cycle = implementation.deadlock()
        var looksAsleep = 0
        while cycle == nil && looksAsleep < 1000 {
            usleep(1000)
            let asleep = [one, two].allSatisfy { ProcFS.threadState($0.tid) == "S" }
            looksAsleep = asleep ? looksAsleep + 1 : 0
            cycle = implementation.deadlock()
        }
        try breakDeadlock(a, [one, two])
        guard let cycle else { throw CheckFailure("deadlock() found no cycle while two threads waited for each other") }
        let edges = Set(cycle.map { "\($0.thread): holds \($0.holds), waits for \($0.waitsFor)" })
        try expectEqual(edges, ["\(one.tid): holds A, waits for B", "\(two.tid): holds B, waits for A"], "the edges of the cycle")
    }

    /// DEADLOCK-3: thread 1 takes D then E and ends; no inversion yet; thread 2 takes E then D
    /// and ends: one inversion, D then E by thread 1 and E then D by thread 2.
    func theValidatorReportsAnInversion() throws {
        let d = implementation.lock(named: "D"), e = implementation.lock(named: "E")
        func inOrder(_ first: Implementation.Lock, _ second: Implementation.Lock) throws -> pid_t {
            let thread = try CheckThread {
                first.withLock { second.withLock {} }
            }
            thread.join()
            return thread.tid
        }
        let forward = try inOrder(d, e)
        try expectEqual(implementation.lockOrderInversions(), [], "inversions after D then E only")
        let backward = try inOrder(e, d)
        let found = implementation.lockOrderInversions()
        try expectEqual(found.count, 1, "inversions after D then E, then E then D: \(found)")
        let pair = found[0]
        try expectEqual(Set([pair.first, pair.second]), ["D", "E"], "the two locks of the inversion")
        let threadOf = [pair.first + pair.second: pair.inOrder, pair.second + pair.first: pair.reversed]
        try expectEqual(threadOf["DE"], forward, "the thread that took D then E")
        try expectEqual(threadOf["ED"], backward, "the thread that took E then D")
    }

    /// Shared by the two threads of a scenario: which have their first lock, how many are inside
    /// a body, and whether two ever were. Guarded by the check's own pthread mutex.
    private final class Scenario: @unchecked Sendable {
        var mutex = pthread_mutex_t()
        var announced = [false, false]
        var inside = 0, overlapped = false, ran = 0
        var threads: [CheckThread] = []
        init() { pthread_mutex_init(&mutex, nil) }
        func locked<T>(_ body: () -> T) -> T { pthread_mutex_lock(&mutex); defer { pthread_mutex_unlock(&mutex) }; return body() }

        /// Once per thread: say the first lock is held, then wait until the other thread has said
        /// so too, or sleeps (trying to take its first lock), or has finished.
        func lineUp(_ index: Int) {
            locked { announced[index] = true }
            let other = threads[1 - index]
            while !locked({ announced[1 - index] }) && ProcFS.threadState(other.tid) != "S" && !other.finished.isReadable() {
                usleep(1000)
            }
        }

        func body() {
            locked { inside += 1; ran += 1; overlapped = overlapped || inside > 1 }
            sched_yield()
            locked { inside -= 1 }
        }
    }

    /// DEADLOCK-4 ... -7: the scenario with withBoth(avoiding:): both threads finish, each body
    /// ran once, never two at a time.
    func scenarioFinishes(avoiding condition: DeadlockCondition) throws {
        let a = implementation.lock(named: "A"), b = implementation.lock(named: "B")
        let scenario = Scenario()
        let started = try Pipe()
        step("two threads: withBoth(A, B) and withBoth(B, A), avoiding \(condition)")
        for (index, (first, second)) in [(a, b), (b, a)].enumerated() {
            scenario.threads.append(try CheckThread {
                _ = try? started.readInt32("")
                self.implementation.withBoth(first, second, avoiding: condition,
                                             afterFirst: { scenario.lineUp(index) }, scenario.body)
            })
        }
        // The threads start only now, once both are in `threads`.
        started.write([1, 1])
        for thread in scenario.threads { thread.join() }
        scenario.threads = []  // they and the scenario held each other
        try expectEqual(scenario.ran, 2, "bodies run by the two threads")
        try expectEqual(scenario.overlapped, false, "whether the two bodies ever ran at the same time")
    }
}
