import Conformance

/// The reference of adopting orphans with `prctl(PR_SET_CHILD_SUBREAPER)`.
///
/// When a process ends, the kernel gives its children to the nearest ancestor marked as a child
/// subreaper, or to init of the PID namespace when there is none. So an orphan's new parent is not
/// always pid 1: in a container, under systemd or under this project's sandbox it is a subreaper.
public struct Orphans: OrphanAPI {
    public init() {}

    /// The corresponding C call is `prctl(PR_SET_CHILD_SUBREAPER, enabled)`; forked children start unmarked.
    public func setChildSubreaper(_ enabled: Bool) throws(Errno) {
        _ = try valueOrErrno(retryOnInterrupt: false) { system_set_child_subreaper(enabled) }.get()
    }

    /// The corresponding C call is `prctl(PR_GET_CHILD_SUBREAPER, &flag)`.
    public func isChildSubreaper() throws(Errno) -> Bool {
        var flag: CInt = 0
        _ = try valueOrErrno(retryOnInterrupt: false) { system_get_child_subreaper(&flag) }.get()
        return flag != 0
    }
}
