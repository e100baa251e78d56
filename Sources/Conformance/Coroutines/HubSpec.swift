import CSystem
import Glibc

/// The checks of HUB-1 ... HUB-7 against an implementation of `HubAPI`. Each check records what
/// the tasks do in one log, in the order they do it: ordering, not time, shows what ran when.
public struct HubSpec<Implementation: HubAPI>: Spec {
    public static var concept: String { "hub" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("HUB-1", spawnOnlySchedules),
            Check("HUB-2", joinAllReturnsTheReadyOnesAtItsTimeout),
            Check("HUB-3", sleepYields),
            Check("HUB-4", errorsAreKeptOnTheTask),
            Check("HUB-5", tasksShareOneThreadAndOverlapWhereTheyWait),
            Check("HUB-6", aTaskThatNeverWaitsStarvesTheOthers),
            Check("HUB-7", aDescriptorWaitParksTheTask),
        ]
    }

    /// HUB-1: three tasks that log their names: nothing is logged after spawn; after joinAll the log
    /// is a, b, c and get returns each one's value.
    func spawnOnlySchedules() throws {
        let log = EventLog()
        step("spawn a, b and c")
        let tasks = ["a", "b", "c"].map { name in implementation.spawn { log(name); return "\(name)'s value" } }
        try expectEqual(log.entries, [], "what the tasks did before the spawner waited")
        try expectEqual(tasks.map(\.isReady), [false, false, false], "isReady of each task before the spawner waited")
        step("joinAll(tasks, timeout: nil)")
        let ready = try implementation.joinAll(tasks, timeout: nil)
        try expectEqual(log.entries, ["a", "b", "c"], "the order the tasks ran in")
        try expectTrue(ready.count == 3 && zip(ready, tasks).allSatisfy { $0 === $1 }, "joinAll did not return the three tasks in order")
        try expectEqual(try tasks.map { try $0.get(timeout: nil) as? String }, ["a's value", "b's value", "c's value"], "get of each task")
    }

    /// HUB-2: a quick task and one waiting for a pipe no one writes: joinAll(timeout: 0) returns
    /// the quick one (both had a turn), joinAll(timeout: 0.05) too, after at least 0.05 s; kill
    /// ends the waiting one, whose get is then a CoroutineExit; a task killed before it ever ran
    /// never runs.
    func joinAllReturnsTheReadyOnesAtItsTimeout() throws {
        let never = try Pipe()
        let quick = implementation.spawn { "quick" }
        let waiting = implementation.spawn { try implementation.waitReadable(never.readEnd, timeout: nil); return "read" }
        let atOnce = try implementation.joinAll([quick, waiting], timeout: 0)
        try expectTrue(atOnce.count == 1 && atOnce[0] === quick, "joinAll(timeout: 0) returned \(atOnce.count) tasks, not just the quick one (gevent runs the ready ones first)")
        let clock = ContinuousClock()
        var ready: [Implementation.Task] = []
        let waited = try clock.measure { ready = try implementation.joinAll([waiting, quick], timeout: 0.05) }
        try expectTrue(ready.count == 1 && ready[0] === quick, "joinAll(timeout: 0.05) returned \(ready.count) tasks, not just the quick one")
        try expectTrue(waited >= .milliseconds(50), "joinAll(timeout: 0.05) returned after \(waited)")
        try expectEqual(waiting.isReady, false, "isReady of the task still waiting")
        step("kill the waiting task")
        try waiting.kill()
        try expectEqual(waiting.isReady, true, "isReady of the killed task")
        try expectEqual(waiting.isSuccessful, true, "isSuccessful of the killed task (gevent: a kill is a success)")
        try expectEqual(try waiting.get(timeout: nil) as? CoroutineExit, CoroutineExit(), "get of the killed task")
        var ran = false
        let unstarted = implementation.spawn { ran = true; return nil }
        step("kill a task that has not started")
        try unstarted.kill()
        _ = try implementation.joinAll([unstarted], timeout: nil)
        try implementation.sleep(0)
        try expectEqual(ran, false, "whether a task killed before it started ran")
        try expectEqual(try unstarted.get(timeout: 0) as? CoroutineExit, CoroutineExit(), "get of a task killed before it started")
    }

    /// HUB-3: a and b log three steps each with sleep(0) between: a0 b0 a1 b1 a2 b2. Then s logs,
    /// sleeps 0.05 s and logs again while t logs once: "s sleeps", "t runs", "s wakes", and s's
    /// sleep lasted at least 0.05 s.
    func sleepYields() throws {
        let log = EventLog()
        let turns = ["a", "b"].map { name in
            implementation.spawn {
                for step in 0..<3 {
                    log("\(name)\(step)")
                    try implementation.sleep(0)
                }
                return nil
            }
        }
        _ = try implementation.joinAll(turns, timeout: nil)
        try expectEqual(log.entries, ["a0", "b0", "a1", "b1", "a2", "b2"], "the steps of two tasks that sleep(0) after each")
        let sleeps = EventLog()
        var slept = Duration.zero
        let sleeper = implementation.spawn {
            sleeps("s sleeps")
            slept = try ContinuousClock().measure { try implementation.sleep(0.05) }
            sleeps("s wakes")
            return nil
        }
        let other = implementation.spawn { sleeps("t runs"); return nil }
        _ = try implementation.joinAll([sleeper, other], timeout: nil)
        try expectEqual(sleeps.entries, ["s sleeps", "t runs", "s wakes"], "what ran while s was in sleep(0.05)")
        try expectTrue(slept >= .milliseconds(50), "sleep(0.05) returned after \(slept)")
    }

    private struct Boom: Error, Equatable {}

    /// HUB-4: a task that throws and one that returns 5: joinAll returns both without throwing; the
    /// first is ready and not successful, get throws its error, join does not; get of the second is 5.
    func errorsAreKeptOnTheTask() throws {
        let failing = implementation.spawn { throw Boom() }
        let fine = implementation.spawn { 5 }
        step("joinAll of a task that throws and one that returns 5")
        let ready = try implementation.joinAll([failing, fine], timeout: nil)
        try expectEqual(ready.count, 2, "the tasks joinAll returned")
        try expectEqual(failing.isReady, true, "isReady of the task that threw")
        try expectEqual(failing.isSuccessful, false, "isSuccessful of the task that threw")
        try failing.join(timeout: nil)
        do {
            let value = try failing.get(timeout: nil)
            throw CheckFailure("get of the task that threw returned \(describe(value as Any))")
        } catch let error as Boom {
            try expectEqual(error, Boom(), "the error get threw")
        }
        try expectEqual(try fine.get(timeout: nil) as? Int, 5, "get of the task that returned 5")
        try expectEqual(fine.isSuccessful, true, "isSuccessful of the task that returned 5")
    }

    /// HUB-5: 10 tasks record their thread id, log "start i", sleep 0.02 s and log "end i": every
    /// thread id is the spawner's, and all ten starts come before the first end.
    func tasksShareOneThreadAndOverlapWhereTheyWait() throws {
        let log = EventLog()
        let tasks = (0..<10).map { _ in
            implementation.spawn {
                log("start")
                try implementation.sleep(0.02)
                log("end")
                return nil
            }
        }
        _ = try implementation.joinAll(tasks, timeout: nil)
        try expectEqual(log.threads, [cs_gettid()], "the thread ids the tasks ran on (the spawner's is \(cs_gettid()))")
        try expectEqual(log.entries, Array(repeating: "start", count: 10) + Array(repeating: "end", count: 10),
                        "the starts and ends of 10 tasks that sleep 0.02 s")
    }

    /// HUB-6: a spins without waiting until b has run or 0.5 s have passed; b logs. The log is
    /// "a starts", "a ends", "b runs": b ran only after a was done.
    func aTaskThatNeverWaitsStarvesTheOthers() throws {
        let log = EventLog()
        let a = implementation.spawn {
            log("a starts")
            let end = ContinuousClock.now + .milliseconds(500)
            while !log.entries.contains("b runs") && ContinuousClock.now < end {}
            log("a ends")
            return nil
        }
        let b = implementation.spawn { log("b runs"); return nil }
        step("joinAll of a task that spins 0.5 s without waiting and one that logs")
        _ = try implementation.joinAll([a, b], timeout: nil)
        try expectEqual(log.entries, ["a starts", "a ends", "b runs"], "the order of a spinning task and another")
    }

    /// HUB-7: r waits for a pipe to be readable, w writes one byte: "r waits", "w writes", "r reads
    /// x". A second task waiting for the same pipe while r waits gets .descriptorInUse; a wait with
    /// timeout 0.05 on an empty pipe throws .timeout after at least 0.05 s.
    func aDescriptorWaitParksTheTask() throws {
        let pipe = try Pipe()
        let log = EventLog()
        var inUse: (any Error)?
        let reader = implementation.spawn {
            log("r waits")
            try implementation.waitReadable(pipe.readEnd, timeout: nil)
            var byte: UInt8 = 0
            _ = Glibc.read(pipe.readEnd, &byte, 1)
            log("r reads \(Character(Unicode.Scalar(byte)))")
            return nil
        }
        let second = implementation.spawn {
            do { try implementation.waitReadable(pipe.readEnd, timeout: 0) } catch { inUse = error }
            return nil
        }
        let writer = implementation.spawn {
            log("w writes")
            pipe.write("x")
            return nil
        }
        step("joinAll of a reader waiting for a pipe, a second waiter and a writer")
        _ = try implementation.joinAll([reader, second, writer], timeout: nil)
        try expectEqual(log.entries, ["r waits", "w writes", "r reads x"], "the order of a waiting reader and a writer")
        try expectEqual(describe(inUse as Any), describe(HubError.descriptorInUse(pipe.readEnd)),
                        "the error of a second wait for the descriptor the reader waits for")
        let empty = try Pipe()
        var timedOut: (any Error)?
        var waited = Duration.zero
        let patient = implementation.spawn {
            waited = ContinuousClock().measure {
                do { try implementation.waitReadable(empty.readEnd, timeout: 0.05) } catch { timedOut = error }
            }
            return nil
        }
        _ = try implementation.joinAll([patient], timeout: nil)
        try expectEqual(describe(timedOut as Any), describe(HubError.timeout), "the error of waitReadable(timeout: 0.05) on an empty pipe")
        try expectTrue(waited >= .milliseconds(50), "waitReadable(timeout: 0.05) gave up after \(waited)")
    }
}
