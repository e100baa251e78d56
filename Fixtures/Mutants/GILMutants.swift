import Conformance
import Threading

/// An interpreter without a GIL: every thread runs interpreted work whenever it likes.
final class UnlockedInterpreter: InterpreterObject {
    func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result { try body() }
    func checkpoint() {}
    func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result { try call() }
}

/// An interpreter that is the reference `InterpreterLock` except for the hooks given.
final class MutantInterpreter: InterpreterObject {
    let reference: InterpreterLock
    var answersRequests = true
    var releasesForBlockingCalls = true

    init(_ reference: InterpreterLock) { self.reference = reference }

    func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try reference.interpreted(body)
    }
    func checkpoint() { if answersRequests { reference.checkpoint() } }
    func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result {
        releasesForBlockingCalls ? try reference.blocking(call) : try call()
    }
}

/// An interpreter whose GIL is a plain `Lock` that nobody asks for, and that lets it go for good:
/// at every checkpoint, or for a blocking call, going on without it afterwards.
final class LeakyInterpreter: InterpreterObject {
    private let gil = Threading.Lock()
    private let releasesAtCheckpoints: Bool
    private let retakesAfterBlocking: Bool

    init(releasesAtCheckpoints: Bool, retakesAfterBlocking: Bool) {
        self.releasesAtCheckpoints = releasesAtCheckpoints
        self.retakesAfterBlocking = retakesAfterBlocking
    }

    func interpreted<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        _ = try? gil.acquire(blocking: true, timeout: nil)
        // The GIL may have been let go already: then there is nothing left to release.
        defer { try? gil.release() }
        return try body()
    }
    func checkpoint() { if releasesAtCheckpoints { try? gil.release() } }
    func blocking<Result, Failure: Error>(_ call: () throws(Failure) -> Result) throws(Failure) -> Result {
        try? gil.release()
        defer { if retakesAfterBlocking { _ = try? gil.acquire(blocking: true, timeout: nil) } }
        return try call()
    }
}

struct GILMutant<Made: InterpreterObject>: GILAPI {
    let make: (Double) -> Made
    func interpreter(switchInterval: Double) -> Made { make(switchInterval) }
}

/// Computed, so no mutable global is shared.
var gilMutants: [Mutant] {
    [
        Mutant("gil-not-taken", "interpreted { } runs its body without taking the GIL",
               rejectedBy: ["GIL-1": .fail], GILSpec(GILMutant { _ in UnlockedInterpreter() })),
        Mutant("gil-checkpoint-lets-go", "checkpoint() releases the GIL and runs on without taking it back",
               rejectedBy: ["GIL-1": .fail],
               GILSpec(GILMutant { _ in LeakyInterpreter(releasesAtCheckpoints: true, retakesAfterBlocking: true) })),
        Mutant("gil-blocking-keeps-it", "blocking { } runs the call still holding the GIL",
               rejectedBy: ["GIL-2": .timedOut],
               GILSpec(GILMutant { interval in
                   let interpreter = MutantInterpreter(InterpreterLock(switchInterval: interval))
                   interpreter.releasesForBlockingCalls = false
                   return interpreter
               })),
        Mutant("gil-blocking-does-not-retake", "blocking { } releases the GIL but goes on without it after the call",
               rejectedBy: ["GIL-2": .fail],
               GILSpec(GILMutant { _ in LeakyInterpreter(releasesAtCheckpoints: false, retakesAfterBlocking: false) })),
        Mutant("gil-checkpoint-ignores-requests", "checkpoint() never hands the GIL over, however long others wait",
               rejectedBy: ["GIL-3": .timedOut, "GIL-4": .timedOut],
               GILSpec(GILMutant { interval in
                   let interpreter = MutantInterpreter(InterpreterLock(switchInterval: interval))
                   interpreter.answersRequests = false
                   return interpreter
               })),
        Mutant("gil-ignores-switch-interval", "a waiting thread asks for the GIL at once instead of after the switch interval",
               rejectedBy: ["GIL-4": .fail], GILSpec(GILMutant { _ in InterpreterLock(switchInterval: 0) })),
    ]
}
