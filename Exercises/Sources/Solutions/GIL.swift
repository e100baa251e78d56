import Conformance

/// A model of CPython's global interpreter lock (course: python线程GIL): interpreted work runs on
/// one thread at a time, blocking calls release the GIL, and a thread that waited a switch
/// interval makes the holder hand it over at its next checkpoint.
///
/// Rules GIL-1 ... GIL-4 (RULES.md). Grade just these: `make grade RULES=gil`.
/// Hints: the GIL is a lock; a waiting thread waits one switch interval at a time and, when the
/// GIL did not change hands meanwhile, sets a drop request that `checkpoint()` reads. A holder that
/// drops the GIL must not take it straight back: count the switches and wait until the count moves.
public final class StudentInterpreter: InterpreterObject {
    public func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        notImplemented()
    }
    public func checkpoint() { notImplemented() }
    public func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result {
        notImplemented()
    }
}

/// Makes interpreters for the spec.
public struct StudentGIL: GILAPI {
    public init() {}

    public func interpreter(switchInterval: Double) -> StudentInterpreter { notImplemented() }
}
