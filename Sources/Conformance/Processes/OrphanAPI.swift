/// Adopting orphans: a process can ask to become the new parent of its orphaned descendants
/// (prctl(2) `PR_SET_CHILD_SUBREAPER`). Python has no `os` function for it (course: 孤儿和僵尸).
///
/// Rules ORPHAN-1 ... ORPHAN-3 in RULES.md; the reference is `Processes.Orphans`.
public protocol OrphanAPI {
    /// Marks or unmarks this process as a child subreaper (`PR_SET_CHILD_SUBREAPER`).
    func setChildSubreaper(_ enabled: Bool) throws(Errno)
    /// Whether this process is a child subreaper (`PR_GET_CHILD_SUBREAPER`).
    func isChildSubreaper() throws(Errno) -> Bool
}
