import Threading

/// The reference `Lock` taken and released by one thread, as Benchmarks/peers/lock.py measures
/// CPython's `threading.Lock` and lock.c measures pthread_mutex.
enum LockBenchmarks {
    /// `count` uncontended acquire + release pairs: pairs per second.
    static func uncontended(count: Int) throws -> Double {
        let lock = Lock()
        let start = ContinuousClock.now
        for _ in 0..<count {
            guard try lock.acquire() else { throw BenchmarkError("acquire of a free lock returned false") }
            try lock.release()
        }
        return Double(count) / seconds(since: start)
    }
}
