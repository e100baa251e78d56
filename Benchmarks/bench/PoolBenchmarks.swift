import Multiprocessing

/// Tiny tasks per second through the reference pool (one worker per CPU), measured the way
/// Benchmarks/peers/pool.py measures CPython's.
enum PoolBenchmarks {
    /// `tasks` calls of applyAsync, then get() on each.
    static func applyAsync(tasks: Int) throws -> Double {
        let pool = try Pool { (n: Int) in n + 1 }
        defer { pool.terminate() }
        let start = ContinuousClock.now
        var handles: [AsyncResult<Int>] = []
        handles.reserveCapacity(tasks)
        for n in 0..<tasks { handles.append(try pool.applyAsync(n)) }
        var outputs: [Int] = []
        outputs.reserveCapacity(tasks)
        for handle in handles { outputs.append(try handle.get()) }
        let rate = Double(tasks) / seconds(since: start)
        try check(outputs, tasks)
        return rate
    }

    /// One map over `tasks` inputs.
    static func map(tasks: Int) throws -> Double {
        let pool = try Pool { (n: Int) in n + 1 }
        defer { pool.terminate() }
        let start = ContinuousClock.now
        let outputs = try pool.map(Array(0..<tasks))
        let rate = Double(tasks) / seconds(since: start)
        try check(outputs, tasks)
        return rate
    }

    private static func check(_ outputs: [Int], _ tasks: Int) throws {
        guard outputs == Array(1...tasks) else { throw BenchmarkError("the pool returned wrong results") }
    }
}
