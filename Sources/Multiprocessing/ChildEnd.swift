import Conformance
import Glibc

/// Waiting for a child to end with a time limit, without reaping it: a pidfd (pidfd_open(2)) polls
/// readable once the process has ended. Python waits on the process's sentinel the same way.
enum ChildEnd {
    /// Whether `pid` ended within `seconds` (0 or negative: whether it has ended now).
    static func await(_ pid: ProcessID, seconds: Double) -> Bool {
        let descriptor = system_pidfd_open(pid.rawValue)
        // No such process: it was reaped already, so it has certainly ended.
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        // A failing poll says nothing about the child: let the caller's waitpid find out.
        return (try? Deadline.awaitReadable(descriptor, until: Deadline(after: seconds)).get()) ?? true
    }
}
