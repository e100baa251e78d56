import Conformance
import Coroutines
import Foundation

/// The reference hub (`HubTask`, `Hub`) except for the hooks given.
struct HubMutant: HubAPI {
    var spawning: ((@escaping () throws -> Any?) -> HubTask)?
    var joiningAll: (([HubTask], Double?) throws -> [HubTask])?
    var sleeping: ((Double) throws -> Void)?
    var waiting: ((Int32, Double?) throws -> Void)?

    func spawn(_ body: @escaping () throws -> Any?) -> HubTask { spawning?(body) ?? HubTask(body) }
    func joinAll(_ tasks: [HubTask], timeout: Double?) throws -> [HubTask] {
        if let joiningAll { return try joiningAll(tasks, timeout) }
        return try Hub.current.joinAll(tasks, timeout: timeout)
    }
    func sleep(_ seconds: Double) throws {
        if let sleeping { try sleeping(seconds) } else { try Hub.current.sleep(seconds) }
    }
    func waitReadable(_ descriptor: Int32, timeout: Double?) throws {
        if let waiting { try waiting(descriptor, timeout) } else { try Hub.current.waitReadable(descriptor, timeout: timeout) }
    }
}

var hubMutants: [Mutant] {
    [
        Mutant("hub-spawn-runs-at-once", "spawn runs the function before it returns instead of scheduling it",
               rejectedBy: ["HUB-1": .fail],
               HubSpec(HubMutant(spawning: { body in
                   let value = Result { try body() }
                   return HubTask { try value.get() }
               }))),
        Mutant("hub-joinall-returns-all", "joinAll returns every task given when its timeout passes, ready or not",
               rejectedBy: ["HUB-2": .fail],
               HubSpec(HubMutant(joiningAll: { tasks, timeout in
                   _ = try Hub.current.joinAll(tasks, timeout: timeout)
                   return tasks
               }))),
        Mutant("hub-sleep-zero-returns", "sleep(0) returns at once instead of letting the ready tasks run",
               rejectedBy: ["HUB-3": .fail],
               HubSpec(HubMutant(sleeping: { seconds in
                   if seconds > 0 { try Hub.current.sleep(seconds) }
               }))),
        Mutant("hub-sleep-blocks-thread", "sleep blocks the whole thread (usleep) instead of parking the task",
               rejectedBy: ["HUB-3": .fail, "HUB-5": .fail],
               HubSpec(HubMutant(sleeping: { seconds in usleep(UInt32(seconds * 1_000_000)) }))),
        Mutant("hub-joinall-raises", "joinAll throws the first error a task ended with",
               rejectedBy: ["HUB-4": .fail],
               HubSpec(HubMutant(joiningAll: { tasks, timeout in
                   let ready = try Hub.current.joinAll(tasks, timeout: timeout)
                   if let failed = ready.first(where: { !$0.isSuccessful }), let error = failed.error { throw error }
                   return ready
               }))),
        Mutant("hub-thread-per-task", "each task runs on a thread of its own, preemptively",
               rejectedBy: ["HUB-5": .fail, "HUB-6": .fail],
               HubSpec(ThreadHub())),
        Mutant("hub-wait-blocks-thread", "waitReadable blocks the whole thread in poll(2) instead of parking the task",
               rejectedBy: ["HUB-7": .timedOut],
               HubSpec(HubMutant(waiting: { descriptor, timeout in
                   var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                   if poll(&entry, 1, timeout.map { Int32($0 * 1000) } ?? -1) == 0 { throw HubError.timeout }
               }))),
    ]
}

/// A task on a thread of its own, started at once: threads, not coroutines.
final class ThreadTask: TaskObject, @unchecked Sendable {
    private let done = DispatchGroup()
    private let lock = NSLock()
    private var result: Result<Any?, any Error>?
    private let body: () throws -> Any?

    init(_ body: @escaping () throws -> Any?) {
        self.body = body
        done.enter()
        Thread.detachNewThread { [self] in run() }
    }

    private func run() {
        let ending = Result { try body() }
        lock.withLock { result = ending }
        done.leave()
    }

    var isReady: Bool { lock.withLock { result != nil } }
    var isSuccessful: Bool {
        lock.withLock {
            if case .success = result { return true }
            return false
        }
    }
    func get(timeout: Double?) throws -> Any? {
        try join(timeout: timeout)
        guard let result = lock.withLock({ result }) else { throw HubError.timeout }
        return try result.get()
    }
    func join(timeout: Double?) throws {
        _ = done.wait(timeout: timeout.map { .now() + $0 } ?? .distantFuture)
    }
    func kill() throws {}
}

/// A hub of threads: spawn starts a thread, joinAll joins them, sleep and waits block the thread.
struct ThreadHub: HubAPI {
    func spawn(_ body: @escaping () throws -> Any?) -> ThreadTask { ThreadTask(body) }
    func joinAll(_ tasks: [ThreadTask], timeout: Double?) throws -> [ThreadTask] {
        let deadline = timeout.map { Date(timeIntervalSinceNow: $0) }
        for task in tasks { try task.join(timeout: deadline.map { max(0, $0.timeIntervalSinceNow) }) }
        return tasks.filter(\.isReady)
    }
    func sleep(_ seconds: Double) throws { usleep(UInt32(seconds * 1_000_000)) }
    func waitReadable(_ descriptor: Int32, timeout: Double?) throws {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        if poll(&entry, 1, timeout.map { Int32($0 * 1000) } ?? -1) == 0 { throw HubError.timeout }
    }
}
