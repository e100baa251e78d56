import CSystem
import Glibc

/// The processes one check creates to look at: children and their own children, each blocked in
/// `pause()` or `read` until the check is done with them. The check process becomes a child
/// subreaper, so `end()` can kill every descendant and reap them all, grandchildren included: nothing
/// is left behind whatever the check found.
final class Family {
    init() throws {
        if cs_set_child_subreaper(1) != 0 { throw CheckFailure.setup("prctl(PR_SET_CHILD_SUBREAPER)", .current) }
    }

    /// Forks a child that runs `body` and then waits in `pause()` until it is killed. The checks that
    /// use it start no thread, so the child of their single-threaded process may do what any program
    /// may after fork (start a thread, allocate); it ends in `pause()`, never by returning.
    func child(_ body: () -> Void = {}) throws -> ProcessID {
        try Children.fork {
            body()
            while true { pause() }
        }
    }

    /// Kills every descendant of the check process and reaps every child until none is left: as a
    /// subreaper, the check process inherits each grandchild whose parent is killed.
    func end() {
        _ = Watching.killDescendants()
    }

    /// Polls `/proc` until `condition` holds for the status of `pid`, or `pid` is gone; the sandbox's
    /// time limit ends a check that waits forever.
    func await(_ pid: ProcessID, _ description: String, until condition: (ProcessStatus) -> Bool) {
        step(description)
        while let status = PS.status(pid), !condition(status) { usleep(1000) }
    }
}
