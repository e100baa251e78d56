import Glibc

/// The checks of POOL-1 ... POOL-10 against an implementation of `PoolAPI`.
///
/// Every pool is created by the check with the spec's work function (`PoolWork`), so workers
/// inherit the check's release pipe: a `.block` task waits on it until the check writes a byte.
public struct PoolSpec<Implementation: PoolAPI>: Spec {
    public static var concept: String { "pool" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("POOL-1", poolStartsItsWorkers),
            Check("POOL-2", handleReportsProgressAndTimesOut),
            Check("POOL-3", workErrorIsThrownByGet),
            Check("POOL-4", mapKeepsInputOrder),
            Check("POOL-5", closeThenJoinFinishesEveryTask),
            Check("POOL-6", misuseIsATypedError),
            Check("POOL-7", terminateEndsWorkersAndFailsTasks),
            Check("POOL-8", workersAreReused),
            Check("POOL-9", deadWorkerFailsItsTaskAndIsReplaced),
            Check("POOL-10", droppingAPoolEndsItsWorkers),
        ]
    }

    /// A pool running `PoolWork` with `processes` workers: a `.block` task writes its worker's
    /// pid to `release`'s twin `blocked` pipe, then waits for a byte on `release`.
    private func pool(_ processes: Int?, _ pipes: BlockPipes) throws -> Implementation.Pool {
        step("pool(processes: \(processes.map(String.init) ?? "nil"))")
        return try implementation.pool(processes: processes, work: pipes.work.run)
    }

    /// The caller's children that were not in `before`.
    private func newChildren(since before: Set<pid_t>) -> Set<pid_t> {
        Set(ProcFS.children(of: getpid())).subtracting(before)
    }

    /// POOL-1: n workers at once, children of the caller; nil is the CPU count; 0 and -1 are errors.
    func poolStartsItsWorkers() throws {
        let pipes = try BlockPipes()
        let before = Set(ProcFS.children(of: getpid()))
        let two = try pool(2, pipes)
        try expectEqual(two.processes, 2, "processes of pool(processes: 2)")
        try expectEqual(newChildren(since: before).count, 2, "new children of the caller after pool(processes: 2)")
        two.terminate()
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let beforeAutomatic = Set(ProcFS.children(of: getpid()))
        let automatic = try pool(nil, pipes)
        try expectEqual(automatic.processes, cpus, "processes of pool(processes: nil) (online CPUs)")
        try expectEqual(newChildren(since: beforeAutomatic).count, cpus, "new children of the caller after pool(processes: nil)")
        automatic.terminate()
        for count in [0, -1] {
            try expectThrows(PoolError.invalidProcessCount(count), "pool(processes: \(count))") { () throws(PoolError) in
                try implementation.pool(processes: count, work: pipes.work.run)
            }
        }
    }

    /// POOL-2: not ready while blocked, get(timeout:) throws .timeout after at least the timeout,
    /// at once for 0 and -1; then the value, ready, successful.
    func handleReportsProgressAndTimesOut() throws {
        let pipes = try BlockPipes()
        let pool = try pool(1, pipes)
        let blocked = try pool.applyAsync(.block)
        try expectEqual(blocked.ready, false, "ready while the task is blocked")
        try expectThrows(PoolError.notReady, "successful() while the task is blocked") { () throws(PoolError) in
            try blocked.successful()
        }
        for timeout in [0.05, 0, -1] {
            step("get(timeout: \(timeout)) while the task is blocked")
            var thrown: PoolError?
            let waited = ContinuousClock().measure {
                do throws(PoolError) { _ = try blocked.get(timeout: timeout) } catch { thrown = error }
            }
            try expectEqual(thrown, .timeout, "the error get(timeout: \(timeout)) threw while the task is blocked")
            try expectTrue(waited >= Duration.milliseconds(Int(max(0, timeout) * 1000)),
                           "get(timeout: \(timeout)) gave up after \(waited)")
        }
        pipes.release.write(1)
        step("get() after releasing the task")
        try expectTrue(try blocked.get(timeout: nil) > 0, "get() returns the worker's pid")
        try expectEqual(blocked.ready, true, "ready after the task ended")
        try expectEqual(try blocked.successful(), true, "successful() after the task returned")
        try expectEqual(try pool.applyAsync(.square(7)).get(timeout: nil), 49, "get() of square(7)")
        pool.terminate()
    }

    /// POOL-3: .taskFailed with the error's type and message; successful() false; the worker lives on.
    func workErrorIsThrownByGet() throws {
        let pipes = try BlockPipes()
        let pool = try pool(1, pipes)
        let before = try pool.applyAsync(.pid).get(timeout: nil)
        let failing = try pool.applyAsync(.fail("bad 3"))
        step("get() of a task whose work throws")
        let (type, message) = try taskFailure("get() of a failing task") { () throws(PoolError) in try failing.get(timeout: nil) }
        try expectTrue(type.hasSuffix("PoolWorkError"), "the type get() reported is \(describe(type)), not PoolWorkError")
        try expectEqual(message, "bad 3", "the message get() reported")
        try expectEqual(try failing.successful(), false, "successful() of a failing task")
        try expectEqual(try pool.applyAsync(.pid).get(timeout: nil), before, "the worker's pid after the failure")
        pool.terminate()
    }

    /// POOL-4: outputs in input order with a slow first input; [] for []; the first failing input's error.
    func mapKeepsInputOrder() throws {
        let pipes = try BlockPipes()
        let pool = try pool(2, pipes)
        let inputs: [PoolTask] = [.slow(-1, milliseconds: 30)] + (1...20).map { .square($0) }
        step("map of a slow input followed by 20 quick ones")
        try expectEqual(try pool.map(inputs), [-1] + (1...20).map { $0 * $0 }, "map's outputs")
        try expectEqual(try pool.map([]), [], "map of no inputs")
        let (_, message) = try taskFailure("map with two failing inputs") { () throws(PoolError) in
            try pool.map([.square(1), .fail("first"), .square(2), .fail("second")])
        }
        try expectEqual(message, "first", "the message of the error map threw")
        pool.terminate()
    }

    /// POOL-5: close() and join(): every submitted task has its value and no worker is left.
    func closeThenJoinFinishesEveryTask() throws {
        let pipes = try BlockPipes()
        let pool = try pool(2, pipes)
        let handles = try (1...6).map { n in try pool.applyAsync(.slow(n, milliseconds: 10)) }
        step("close() and join() with 6 tasks submitted")
        pool.close()
        try pool.join()
        try expectEqual(ProcFS.children(of: getpid()), [], "children of the caller after join()")
        for (n, handle) in zip(1..., handles) {
            try expectEqual(handle.ready, true, "ready of task \(n) after join()")
            try expectEqual(try handle.get(timeout: 0), n, "get() of task \(n) after join()")
        }
    }

    /// POOL-6: .notRunning after close() or terminate(); .stillRunning for join() before close().
    func misuseIsATypedError() throws {
        let pipes = try BlockPipes()
        let pool = try pool(1, pipes)
        try expectThrows(PoolError.stillRunning, "join() before close()") { () throws(PoolError) in try pool.join() }
        pool.close()
        try expectThrows(PoolError.notRunning, "applyAsync after close()") { () throws(PoolError) in
            try pool.applyAsync(.square(1))
        }
        try expectThrows(PoolError.notRunning, "map after close()") { () throws(PoolError) in try pool.map([.square(1)]) }
        try pool.join()
        let other = try self.pool(1, pipes)
        other.terminate()
        try expectThrows(PoolError.notRunning, "applyAsync after terminate()") { () throws(PoolError) in
            try other.applyAsync(.square(1))
        }
        try other.join()
    }

    /// POOL-7: terminate() with tasks blocked: no child left, each task fails with .terminated.
    func terminateEndsWorkersAndFailsTasks() throws {
        let pipes = try BlockPipes()
        let pool = try pool(2, pipes)
        let handles = try (0..<4).map { _ in try pool.applyAsync(.block) }
        step("terminate() with 4 tasks blocked")
        pool.terminate()
        try expectEqual(ProcFS.children(of: getpid()), [], "children of the caller after terminate()")
        for handle in handles {
            try expectThrows(PoolError.terminated, "get() of a task the pool abandoned") { () throws(PoolError) in
                try handle.get(timeout: nil)
            }
        }
    }

    /// POOL-8: 200 tasks on 2 workers run in at most 2 processes, the pool's own children.
    func workersAreReused() throws {
        let pipes = try BlockPipes()
        let pool = try pool(2, pipes)
        let workers = Set(ProcFS.children(of: getpid()))
        step("map of 200 tasks that return their worker's pid")
        let pids = Set(try pool.map(Array(repeating: .pid, count: 200)).map { pid_t($0) })
        try expectTrue(pids.count <= 2, "200 tasks ran in \(pids.count) processes with processes: 2")
        try expectTrue(pids.isSubset(of: workers), "tasks ran in \(pids.sorted()), not in the pool's workers \(workers.sorted())")
        pool.terminate()
    }

    /// POOL-9: a task that kills its worker, and a worker killed from outside mid-task: each task
    /// fails with .workerDied and its signal; the pool again has n workers and runs other tasks.
    func deadWorkerFailsItsTaskAndIsReplaced() throws {
        let pipes = try BlockPipes()
        let pool = try pool(2, pipes)
        let dying = try pool.applyAsync(.die(.terminate))
        let others = try (1...10).map { n in try pool.applyAsync(.square(n)) }
        step("get() of a task whose worker got SIGTERM")
        try expectThrows(PoolError.workerDied(.signaled(.terminate, coreDumped: false)),
                         "get() of a task whose worker got SIGTERM") { () throws(PoolError) in
            try dying.get(timeout: nil)
        }
        for (n, handle) in zip(1..., others) {
            try expectEqual(try handle.get(timeout: nil), n * n, "get() of square(\(n)) submitted after it")
        }
        try expectEqual(ProcFS.children(of: getpid()).count, 2, "children of the caller after a worker died")
        let blocked = try pool.applyAsync(.block)
        let victim = try pipes.blocked.readInt32("the blocked task did not start")
        step("kill -9 the worker running a blocked task")
        try Children.kill(ProcessID(rawValue: victim), .kill)
        try expectThrows(PoolError.workerDied(.signaled(.kill, coreDumped: false)),
                         "get() of the task whose worker was killed") { () throws(PoolError) in
            try blocked.get(timeout: nil)
        }
        try expectEqual(try pool.map([.square(3), .square(4)]), [9, 16], "map after two workers died")
        try expectEqual(ProcFS.children(of: getpid()).count, 2, "children of the caller after two workers died")
        pool.terminate()
    }

    /// POOL-10: a running pool with a blocked task, dropped: no worker is left.
    func droppingAPoolEndsItsWorkers() throws {
        let pipes = try BlockPipes()
        do {
            let pool = try pool(2, pipes)
            _ = try pool.applyAsync(.block)
            step("dropping the last reference to a running pool")
        }
        try expectEqual(ProcFS.children(of: getpid()), [], "children of the caller after the pool was dropped")
    }
}

/// Runs `call`, which must throw `.taskFailed`, and returns the type and message it carried.
private func taskFailure<Value>(_ what: String, _ call: () throws(PoolError) -> Value) throws -> (String, String) {
    switch Result(catching: call) {
    case .failure(.taskFailed(let type, let message)):
        return (type, message)
    case .failure(let error):
        throw CheckFailure(what, expected: "throws .taskFailed", actual: "threw \(error)")
    case .success(let value):
        throw CheckFailure(what, expected: "throws .taskFailed", actual: "returned \(describe(value))")
    }
}

/// The pipes of `.block` tasks: each reports its worker's pid on `blocked`, then reads a byte
/// from `release`. Workers inherit both, since the check creates them before the pool.
final class BlockPipes {
    let release: Pipe
    let blocked: Pipe

    init() throws {
        release = try Pipe()
        blocked = try Pipe()
    }

    var work: PoolWork { PoolWork(release: release.readEnd, blocked: blocked.writeEnd) }
}

/// The error `PoolTask.fail` throws in a worker.
struct PoolWorkError: Error, CustomStringConvertible {
    let description: String
}

/// The spec's work function: what each `PoolTask` does in a worker.
struct PoolWork {
    /// The read end of the check's release pipe, inherited by every worker.
    let release: CInt
    /// Where a `.block` task writes its worker's pid before waiting.
    let blocked: CInt

    func run(_ task: PoolTask) throws -> Int {
        switch task {
        case .square(let n):
            return n * n
        case .slow(let n, let milliseconds):
            usleep(useconds_t(milliseconds * 1000))
            return n
        case .pid:
            return Int(getpid())
        case .fail(let message):
            throw PoolWorkError(description: message)
        case .block:
            var pid = getpid()
            _ = write(blocked, &pid, 4)
            var byte: UInt8 = 0
            _ = read(release, &byte, 1)
            return Int(getpid())
        case .die(let signal):
            kill(getpid(), signal.rawValue)
            while true { pause() }
        }
    }
}
