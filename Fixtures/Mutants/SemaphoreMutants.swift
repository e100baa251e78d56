import Conformance
import Multiprocessing

/// A semaphore that is the reference's except for the hooks given.
final class MutantSemaphore: SemaphoreObject {
    let reference: Multiprocessing.Semaphore
    let initial: Int
    var acquiring: ((Bool, Double?) -> (Bool, Double?))?
    var releasesPerCall = 1
    var valueIsInitial = false

    init(_ reference: Multiprocessing.Semaphore, initial: Int) {
        self.reference = reference
        self.initial = initial
    }

    func acquire(block: Bool, timeout: Double?) throws(SemaphoreError) -> Bool {
        let (block, timeout) = acquiring?(block, timeout) ?? (block, timeout)
        return try reference.acquire(block: block, timeout: timeout)
    }
    func release() throws(SemaphoreError) {
        for _ in 0..<releasesPerCall { try reference.release() }
    }
    var value: Int { valueIsInitial ? initial : reference.value }
}

/// Makes `MutantSemaphore`s: `bounded` may change the kind asked for, `change` sets the hooks.
struct SemaphoreMutant: SemaphoreAPI {
    var bounded: (Bool) -> Bool = { $0 }
    var change: (MutantSemaphore) -> Void = { _ in }

    func semaphore(value: Int, bounded wanted: Bool) throws(SemaphoreError) -> MutantSemaphore {
        let semaphore = MutantSemaphore(try Multiprocessing.Semaphore(value: value, bounded: bounded(wanted)), initial: value)
        change(semaphore)
        return semaphore
    }
}

/// Computed, so no mutable global is shared.
var semaphoreMutants: [Mutant] {
    [
        Mutant("sem-nonblocking-acquire-waits", "acquire(block: false, timeout: t) waits for t at 0",
               rejectedBy: ["SEM-1": .fail],
               SemaphoreSpec(SemaphoreMutant(change: { semaphore in
                   semaphore.acquiring = { block, timeout in (true, block ? timeout : timeout ?? 0) }
               }))),
        Mutant("sem-release-adds-two", "release posts twice, letting two waiters through",
               rejectedBy: ["SEM-2": .fail, "SEM-3": .fail],
               SemaphoreSpec(SemaphoreMutant(change: { semaphore in semaphore.releasesPerCall = 2 }))),
        Mutant("sem-value-is-initial", "value reports the initial value, not the current one",
               rejectedBy: ["SEM-3": .fail],
               SemaphoreSpec(SemaphoreMutant(change: { semaphore in semaphore.valueIsInitial = true }))),
        Mutant("sem-bounded-is-unbounded", "a bounded semaphore accepts releases past its initial value",
               rejectedBy: ["SEM-4": .fail], SemaphoreSpec(SemaphoreMutant(bounded: { _ in false }))),
    ]
}
