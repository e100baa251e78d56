import Conformance

/// Remembers the setting instead of telling the kernel.
final class RememberedFlag: OrphanAPI {
    private var enabled = false

    func setChildSubreaper(_ enabled: Bool) throws(Errno) { self.enabled = enabled }
    func isChildSubreaper() throws(Errno) -> Bool { enabled }
}

/// Computed, so no mutable global is shared.
var orphanMutants: [Mutant] {
    [
        Mutant("orphans-flag-only", "keeps the setting in a variable and never calls prctl",
               rejectedBy: ["ORPHAN-1": .fail, "ORPHAN-2": .fail, "ORPHAN-3": .fail], OrphanSpec(RememberedFlag())),
    ]
}
