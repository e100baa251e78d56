import Conformance
import Glibc

/// The four ways to take two locks without deadlock, one for each necessary condition a
/// deadlock needs (DEADLOCK-4 ... DEADLOCK-7). Each runs `body` with both resources to itself.
enum Avoidance {
    /// 环路等待 broken: every thread takes the locks in one global order (by creation), so no
    /// thread can hold the later lock while waiting for the earlier one.
    static func globalOrder(_ first: TrackedLock, _ second: TrackedLock, afterFirst: () -> Void, _ body: () -> Void) {
        let (earlier, later) = first.id < second.id ? (first, second) : (second, first)
        earlier.withLock {
            afterFirst()
            later.withLock(body)
        }
    }

    /// 请求和保持 broken: the second lock is taken only if free; otherwise the first is released
    /// before waiting (a random back-off, so two threads do not retry in step for ever).
    static func tryThenBackOff(_ first: TrackedLock, _ second: TrackedLock, afterFirst: () -> Void, _ body: () -> Void) {
        retry(first, second, afterFirst: afterFirst, body) { (try? second.acquire(blocking: false)) == true }
    }

    /// 不剥夺 broken: the second lock is waited for at most 10 ms; then the thread gives up the
    /// first (it is taken from it, as it were) and starts again.
    static func timeoutThenRetry(_ first: TrackedLock, _ second: TrackedLock, afterFirst: () -> Void, _ body: () -> Void) {
        retry(first, second, afterFirst: afterFirst, body) { (try? second.acquire(blocking: true, timeout: 0.01)) == true }
    }

    /// 互斥 broken: no thread locks the resources; one spooler thread owns them and runs each
    /// thread's work in turn, as a print spooler owns the printer.
    static func spool(afterFirst: () -> Void, _ body: () -> Void) {
        afterFirst()
        Spooler.shared.run(body)
    }

    private static func retry(_ first: TrackedLock, _ second: TrackedLock, afterFirst: () -> Void, _ body: () -> Void,
                              takeSecond: () -> Bool) {
        var attempt = 0
        while true {
            _ = try? first.acquire()
            if attempt == 0 { afterFirst() }
            if takeSecond() {
                body()
                try? second.release()
                try? first.release()
                return
            }
            try? first.release()
            attempt += 1
            usleep(UInt32.random(in: 50...500) * UInt32(min(attempt, 20)))
        }
    }
}

/// One thread that runs the work handed to it, one job at a time (`Avoidance.spool`).
final class Spooler: @unchecked Sendable {
    static let shared = Spooler()

    private typealias Job = (work: () -> Void, done: Event)
    private let lock = Lock()
    private var jobs: [Job] = []
    private let hasWork = Event()

    private init() {
        let server = Thread(name: "spooler", daemon: true) { [unowned self] in self.serve() }
        try? server.start()
    }

    /// Runs `work` on the spooler's thread and returns once it has. The spooler lets go of `work`
    /// before saying it is done, so `work` never outlives this call.
    func run(_ work: () -> Void) {
        let done = Event()
        withoutActuallyEscaping(work) { work in
            lock.withLock {
                jobs.append((work, done))
                hasWork.set()
            }
            _ = done.wait()
        }
    }

    private func serve() {
        while true {
            // Cleared under the same lock as a job is added with, so no wake-up is lost.
            var next = lock.withLock { () -> Job? in
                if jobs.isEmpty {
                    hasWork.clear()
                    return nil
                }
                return jobs.removeFirst()
            }
            guard let done = next?.done else {
                _ = hasWork.wait()
                continue
            }
            next?.work()
            next = nil
            done.set()
        }
    }
}

/// The reference `DeadlockAPI`.
public struct DeadlockFactory: DeadlockAPI {
    public init() {}

    public func lock(named name: String) -> TrackedLock { TrackedLock(name: name) }
    public func deadlock() -> [WaitForEdge]? { LockGraph.shared.deadlock() }
    public func lockOrderInversions() -> [LockOrderInversion] { LockGraph.shared.inversions }

    public func withBoth(_ first: TrackedLock, _ second: TrackedLock, avoiding condition: DeadlockCondition,
                         afterFirst: () -> Void, _ body: () -> Void) {
        switch condition {
        case .circularWait: Avoidance.globalOrder(first, second, afterFirst: afterFirst, body)
        case .holdAndWait: Avoidance.tryThenBackOff(first, second, afterFirst: afterFirst, body)
        case .noPreemption: Avoidance.timeoutThenRetry(first, second, afterFirst: afterFirst, body)
        case .mutualExclusion: Avoidance.spool(afterFirst: afterFirst, body)
        }
    }
}
