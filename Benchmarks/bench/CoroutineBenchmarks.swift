import Conformance
import Coroutines

/// The reference `Coroutine` switched to and back, as Benchmarks/peers/greenlet_switch.py measures
/// greenlet and switch.c measures swapcontext(3).
enum CoroutineBenchmarks {
    /// `count` round trips (the main coroutine switches to a coroutine, which switches straight
    /// back, carrying an integer each way): nanoseconds per round trip.
    static func roundTrip(count: Int) throws -> Double {
        let main = Coroutine.current
        let partner = Coroutine { first in
            var value = first
            while true { value = try main.switch(value) }
        }
        let start = ContinuousClock.now
        var last: Any?
        for index in 0..<count { last = try partner.switch(index) }
        let elapsed = seconds(since: start)
        guard last as? Int == count - 1 else { throw BenchmarkError("the last switch carried \(String(describing: last))") }
        _ = try partner.throw(CoroutineExit())
        return elapsed / Double(count) * 1e9
    }
}
