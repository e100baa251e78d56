import Conformance

/// A model of CPython's global interpreter lock (course: python线程GIL): a thread runs interpreted
/// work only while it holds the interpreter's lock, the GIL.
///
///     let interpreter = InterpreterLock()
///     interpreter.interpreted {
///         for n in 0..<1_000_000 { total &+= n; interpreter.checkpoint() }   // CPU-bound: one at a time
///         interpreter.blocking { usleep(1000) }                            // others run meanwhile
///     }
///
/// CPython's ceval_gil.c (with FORCE_SWITCHING), made of this module's pieces:
/// - the GIL is a `Lock`. A thread that wants it waits one switch interval at a time; when a whole
///   interval passed without the GIL changing hands, it sets `dropRequest` (the eval breaker) and
///   waits again;
/// - the holder looks at `dropRequest` at each tick (`checkpoint()`). When it is set, the holder
///   releases the GIL and sleeps until `switches` shows that another thread took it, so that it
///   cannot take it straight back (GIL-3), then waits for it like any other thread;
/// - the thread that takes the GIL counts a switch, wakes the one that handed it over, and clears
///   the request it answers.
public final class InterpreterLock: InterpreterObject, @unchecked Sendable {
    private let gil = Lock()
    /// 1 while a waiting thread asks the holder to drop the GIL; cleared by the next taker.
    private let dropRequest = FutexWord(0)
    /// How many times the GIL was taken: written only by the holder, waited on by the thread that
    /// handed it over.
    private let switches = FutexWord(0)
    private let switchInterval: Double

    /// `sys.setswitchinterval(switchInterval)`: how long a thread waits before it asks for the GIL.
    public init(switchInterval: Double = 0.005) { self.switchInterval = switchInterval }

    public func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        take()
        defer { drop() }
        return try body()
    }

    /// The eval breaker's check: one atomic load when nobody asked.
    public func checkpoint() {
        guard dropRequest.value == 1 else { return }
        // Read before the release: once the GIL is free, another thread may take it at once.
        let taken = switches.value
        drop()
        while switches.value == taken { _ = switches.wait(while: taken, until: nil) }
        take()
    }

    public func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result {
        drop()
        defer { take() }
        return try call()
    }

    /// take_gil: waits for the GIL one switch interval at a time, asking for it after an interval
    /// in which it did not change hands (GIL-4).
    private func take() {
        while true {
            let seen = switches.value
            if gil.take(until: Deadline(after: switchInterval)) { break }
            if switches.value == seen { dropRequest.store(1) }
        }
        switches.store(switches.value &+ 1)
        switches.wake(Int32.max)
        dropRequest.store(0)
    }

    /// drop_gil. Contract: the caller holds the GIL.
    private func drop() {
        do {
            try gil.release()
        } catch {
            preconditionFailure("the GIL was not held: checkpoint() or blocking { } called outside interpreted { }")
        }
    }
}

/// The reference `GILAPI`.
public struct GILFactory: GILAPI {
    public init() {}
    public func interpreter(switchInterval: Double) -> InterpreterLock { InterpreterLock(switchInterval: switchInterval) }
}
