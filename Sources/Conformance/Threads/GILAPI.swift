/// CPython's global interpreter lock, as a model (course: python线程GIL): Swift has none, so an
/// implementation makes one, and "interpreted" code is whatever runs inside `interpreted { }`.
///
/// A thread runs interpreted work only while it holds the interpreter's lock (the GIL). The eval
/// loop ticks between bytecodes (`checkpoint()`): a thread that has waited a whole switch interval
/// for the GIL (`sys.getswitchinterval()`, 5 ms) sets a drop request (the "eval breaker"), and the
/// holder hands the GIL over at its next tick. A blocking call releases it around the call
/// (`Py_BEGIN_ALLOW_THREADS` ... `Py_END_ALLOW_THREADS`), so blocking IO overlaps and CPU-bound
/// work does not.
///
/// Rules GIL-1 ... GIL-4 in RULES.md; the reference is `Threading.InterpreterLock`.
/// `checkpoint()` and `blocking { }` are called only inside `interpreted { }`, by the thread
/// running it, and `interpreted { }` is not nested.
public protocol InterpreterObject: AnyObject {
    /// Runs `body` on the calling thread holding the GIL: waits for it, then releases it however
    /// `body` ends (`PyGILState_Ensure` ... `PyGILState_Release`).
    func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result
    /// One tick of the eval loop: if another thread asked for the GIL, hands it over, waits until
    /// that thread has taken it, then waits to take it back; otherwise returns at once.
    func checkpoint()
    /// Runs `call` with the GIL released, so other threads run interpreted work meanwhile, and
    /// takes it back before returning (`Py_BEGIN_ALLOW_THREADS` ... `Py_END_ALLOW_THREADS`).
    func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result
}

/// Makes interpreters, each with a GIL of its own.
public protocol GILAPI {
    associatedtype Interpreter: InterpreterObject
    /// An interpreter whose waiting threads ask for the GIL after `switchInterval` seconds
    /// (`sys.setswitchinterval(switchInterval)`; CPython's default is 0.005).
    func interpreter(switchInterval: Double) -> Interpreter
}
