import Conformance
import Threading

/// The reference `DeadlockFactory` with some of its parts replaced.
struct DeadlockMutant: DeadlockAPI {
    /// Changes each lock made (see `MutantLock`).
    var changeLock: (MutantLock) -> Void = { _ in }
    var detector: (() -> [WaitForEdge]?)? = nil
    var validator: (() -> [LockOrderInversion])? = nil
    /// The conditions whose strategy is replaced by taking the first lock, then the second.
    var naive: Set<DeadlockCondition> = []

    private let reference = DeadlockFactory()

    func lock(named name: String) -> MutantLock {
        let lock = MutantLock(reference.lock(named: name))
        changeLock(lock)
        return lock
    }

    func deadlock() -> [WaitForEdge]? {
        if let detector { return detector() }
        return reference.deadlock()
    }

    func lockOrderInversions() -> [LockOrderInversion] {
        if let validator { return validator() }
        return reference.lockOrderInversions()
    }

    func withBoth(_ first: MutantLock, _ second: MutantLock, avoiding condition: DeadlockCondition,
                  afterFirst: () -> Void, _ body: () -> Void) {
        guard !naive.contains(condition),
              let first = first.reference as? TrackedLock, let second = second.reference as? TrackedLock else {
            first.withLock {
                afterFirst()
                second.withLock(body)
            }
            return
        }
        reference.withBoth(first, second, avoiding: condition, afterFirst: afterFirst, body)
    }
}

/// Computed, so no mutable global is shared.
var deadlockMutants: [Mutant] {
    [
        Mutant("deadlock-locks-never-wait", "acquire returns true at once even when another thread holds the lock",
               rejectedBy: ["DEADLOCK-1": .fail],
               DeadlockSpec(DeadlockMutant(changeLock: { lock in lock.acquiring = { (_, _, _) throws(LockError) in true } }))),
        Mutant("deadlock-detector-blind", "the detector never finds a cycle",
               rejectedBy: ["DEADLOCK-2": .fail], DeadlockSpec(DeadlockMutant(detector: { nil }))),
        Mutant("deadlock-validator-only-after-the-fact", "the validator reports nothing unless a deadlock happened",
               rejectedBy: ["DEADLOCK-3": .fail], DeadlockSpec(DeadlockMutant(validator: { [] }))),
        Mutant("deadlock-no-global-order", "avoiding circular wait takes the locks in the order given",
               rejectedBy: ["DEADLOCK-4": .timedOut], DeadlockSpec(DeadlockMutant(naive: [.circularWait]))),
        Mutant("deadlock-hold-and-wait", "avoiding hold and wait waits for the second lock holding the first",
               rejectedBy: ["DEADLOCK-5": .timedOut], DeadlockSpec(DeadlockMutant(naive: [.holdAndWait]))),
        Mutant("deadlock-no-preemption", "avoiding no preemption waits for the second lock without a timeout",
               rejectedBy: ["DEADLOCK-6": .timedOut], DeadlockSpec(DeadlockMutant(naive: [.noPreemption]))),
        Mutant("deadlock-no-spooler", "avoiding mutual exclusion locks the resources in each thread",
               rejectedBy: ["DEADLOCK-7": .timedOut], DeadlockSpec(DeadlockMutant(naive: [.mutualExclusion]))),
    ]
}
