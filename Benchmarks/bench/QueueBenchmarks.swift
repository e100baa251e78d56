import Multiprocessing

/// Values through the reference queue from a forked child to the parent, measured the way
/// Benchmarks/peers/queue.py measures CPython's `multiprocessing.Queue`.
enum QueueBenchmarks {
    /// `count` small values (`put` of an Int into an unbounded queue): values per second, from
    /// before the fork to the last value got.
    static func smallMessages(count: Int) throws -> Double {
        let queue = try MessageQueue()
        let start = ContinuousClock.now
        let producer = Process(target: { for n in 0..<count { try queue.put(n) } })
        try producer.start()
        for n in 0..<count {
            guard try queue.get(Int.self) == n else { throw BenchmarkError("a value arrived out of order") }
        }
        let rate = Double(count) / seconds(since: start)
        try producer.join()
        guard producer.exitCode == 0 else { throw BenchmarkError("the producing child failed") }
        return rate
    }
}
