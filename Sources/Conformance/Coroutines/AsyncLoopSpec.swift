import CSystem
import Glibc

/// The checks of ASYNC-1 ... ASYNC-3 against an implementation of `AsyncLoopAPI`: the hub's
/// defining rules (HUB-5, HUB-6) asked again of async/await, and what cancellation does there.
public struct AsyncLoopSpec<Implementation: AsyncLoopAPI>: Spec {
    public static var concept: String { "async" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("ASYNC-1", tasksShareTheCallersThreadAndOverlapWhereTheyAwait),
            Check("ASYNC-2", aTaskThatNeverAwaitsStarvesTheOthers),
            Check("ASYNC-3", cancellationEndsTheAwaits),
        ]
    }

    private func loop() throws -> Implementation.Loop {
        do { return try implementation.loop() } catch { throw CheckFailure("loop() threw \(error)") }
    }

    /// ASYNC-1: run starts 10 child tasks in a task group; each logs "start", sleeps 0.02 s and logs
    /// "end"; a reader child waits for a pipe a writer child then writes. Every entry comes from
    /// the thread that called run; all ten starts come before the first end; the reader logs after
    /// the writer.
    func tasksShareTheCallersThreadAndOverlapWhereTheyAwait() throws {
        let loop = try loop()
        let log = EventLog()
        let pipe = try Pipe()
        let readEnd = pipe.readEnd, writeEnd = pipe.writeEnd
        step("run: 10 tasks that sleep 0.02 s, a reader waiting for a pipe and its writer")
        try loop.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        log("start")
                        try await loop.sleep(0.02)
                        log("end")
                    }
                }
                try await group.waitForAll()
                group.addTask {
                    log("r waits")
                    try await loop.waitReadable(readEnd, timeout: nil)
                    log("r reads")
                }
                group.addTask {
                    try await loop.sleep(0)
                    log("w writes")
                    var byte: UInt8 = 120
                    _ = Glibc.write(writeEnd, &byte, 1)
                }
                try await group.waitForAll()
            }
        }
        try expectEqual(log.threads, [cs_gettid()], "the thread ids the tasks ran on (run's caller is \(cs_gettid()))")
        try expectEqual(log.entries, Array(repeating: "start", count: 10) + Array(repeating: "end", count: 10) + ["r waits", "w writes", "r reads"],
                        "the order of 10 tasks that sleep 0.02 s, then a reader and a writer")
    }

    /// ASYNC-2: a spins without awaiting until b has run or 0.5 s have passed; b logs. The log is
    /// "a starts", "a ends", "b runs".
    func aTaskThatNeverAwaitsStarvesTheOthers() throws {
        let loop = try loop()
        let log = EventLog()
        step("run: a task that spins 0.5 s without awaiting, and one that logs")
        try loop.run {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    log("a starts")
                    let end = ContinuousClock.now + .milliseconds(500)
                    while !log.entries.contains("b runs") && ContinuousClock.now < end {}
                    log("a ends")
                }
                group.addTask { log("b runs") }
            }
        }
        try expectEqual(log.entries, ["a starts", "a ends", "b runs"], "the order of a spinning task and another")
    }

    /// ASYNC-3: three children: one in sleep(30), one waiting for a pipe no one writes, one
    /// spinning until it sees Task.isCancelled. The parent sleeps 0.05 s and cancels the group:
    /// the two waits throw CancellationError (their defers log), the spinner sees the cancellation
    /// only because it looks, and run returns.
    func cancellationEndsTheAwaits() throws {
        let loop = try loop()
        let log = EventLog()
        let never = try Pipe()
        let readEnd = never.readEnd
        step("run: a sleeper, a reader and a spinner, cancelled after 0.05 s")
        try loop.run {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { log("sleeper's defer") }
                    do { try await loop.sleep(30); log("sleeper woke") } catch { log("sleeper: \(type(of: error))") }
                }
                group.addTask {
                    defer { log("reader's defer") }
                    do { try await loop.waitReadable(readEnd, timeout: nil); log("reader read") } catch { log("reader: \(type(of: error))") }
                }
                group.addTask {
                    while !Task.isCancelled { await Task.yield() }
                    log("spinner saw the cancellation")
                }
                do { try await loop.sleep(0.05) } catch { log("parent: \(error)") }
                group.cancelAll()
            }
        }
        try expectEqual(Set(log.entries), ["sleeper: CancellationError", "sleeper's defer", "reader: CancellationError", "reader's defer",
                                           "spinner saw the cancellation"], "what the three children logged after cancelAll")
    }
}
