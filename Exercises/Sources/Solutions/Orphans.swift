import Conformance

/// Adopting orphans with `prctl(PR_SET_CHILD_SUBREAPER)` (course: 孤儿和僵尸).
///
/// Rules ORPHAN-1 ... ORPHAN-3 (RULES.md). Grade just these: `make grade RULES=orphans`.
/// `prctl` is variadic, so Swift cannot call it: use `system_set_child_subreaper` and
/// `system_get_child_subreaper`.
public struct StudentOrphans: OrphanAPI {
    public init() {}

    public func setChildSubreaper(_ enabled: Bool) throws(Errno) { notImplemented() }

    public func isChildSubreaper() throws(Errno) -> Bool { notImplemented() }
}
