import Conformance
import Coroutines
import Foundation

/// The reference `AsyncLoop` except for the hooks given.
final class MutantAsyncLoop: AsyncLoopObject, @unchecked Sendable {
    let reference: AsyncLoop
    var sleeping: (@Sendable (AsyncLoop, Double) async throws -> Void)?
    var running: ((AsyncLoop, @escaping @Sendable () async throws -> Any) throws -> Any)?
    var waiting: (@Sendable (Int32) async throws -> Void)?

    init(_ reference: AsyncLoop) { self.reference = reference }

    func run<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) throws -> Value {
        if let running { return try running(reference, { try await body() }) as! Value }
        return try reference.run(body)
    }
    func sleep(_ seconds: Double) async throws {
        if let sleeping { try await sleeping(reference, seconds) } else { try await reference.sleep(seconds) }
    }
    func waitReadable(_ descriptor: Int32, timeout: Double?) async throws {
        if let waiting { try await waiting(descriptor) } else { try await reference.waitReadable(descriptor, timeout: timeout) }
    }
}

struct AsyncLoopMutant: AsyncLoopAPI {
    var change: (MutantAsyncLoop) -> Void = { _ in }

    func loop() throws -> MutantAsyncLoop {
        let loop = MutantAsyncLoop(try AsyncLoop())
        change(loop)
        return loop
    }
}

/// The result of a task run on the global executor, handed to the thread that waits for it.
private final class Handoff: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var result: Result<Any, any Error>?
}

var asyncLoopMutants: [Mutant] {
    [
        Mutant("async-global-executor", "run starts the body on Swift's global executor (a pool of threads) and blocks the caller until it ends",
               rejectedBy: ["ASYNC-1": .fail, "ASYNC-2": .fail],
               AsyncLoopSpec(AsyncLoopMutant(change: { loop in
                   loop.running = { _, body in
                       let handoff = Handoff()
                       Task.detached {
                           do { handoff.result = .success(try await body()) } catch { handoff.result = .failure(error) }
                           handoff.done.signal()
                       }
                       handoff.done.wait()
                       return try handoff.result!.get()
                   }
                   loop.sleeping = { _, seconds in try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) }
                   loop.waiting = { descriptor in
                       var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                       while poll(&entry, 1, 0) == 0 { try await Task.sleep(nanoseconds: 1_000_000) }
                   }
               }))),
        Mutant("async-sleep-blocks-thread", "sleep blocks the loop's thread (usleep) instead of suspending the task",
               rejectedBy: ["ASYNC-1": .fail],
               AsyncLoopSpec(AsyncLoopMutant(change: { loop in
                   loop.sleeping = { _, seconds in usleep(UInt32(seconds * 1_000_000)) }
               }))),
        Mutant("async-sleep-ignores-cancellation", "sleep yields until its time is up without ever looking for a cancellation",
               rejectedBy: ["ASYNC-3": .timedOut],
               AsyncLoopSpec(AsyncLoopMutant(change: { loop in
                   loop.sleeping = { _, seconds in
                       let end = ContinuousClock.now + .nanoseconds(Int64(seconds * 1e9))
                       while ContinuousClock.now < end { await Task.yield() }
                   }
               }))),
    ]
}
