import CSystem
import Foundation
import Glibc

/// Helpers shared by the runner's sandbox and the graders' supervisor (package access: not part of
/// the kit's public API).
package enum Watching {
    /// Waits up to `seconds` for `pid` to end, without reaping it; false when time ran out.
    /// A pidfd (pidfd_open(2)) polls readable when the process ends.
    package static func awaitExit(_ pid: pid_t, seconds: Double) -> Bool {
        let pidfd = cs_pidfd_open(pid)
        guard pidfd >= 0 else { return true }  // no pidfd: the caller's blocking waitpid waits instead
        defer { close(pidfd) }
        let deadline = Date().addingTimeInterval(seconds)
        var entry = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, Int32(max(0, deadline.timeIntervalSinceNow * 1000).rounded(.up)))
            if ready != -1 || errno != EINTR { return ready == 1 }
        }
    }

    /// Everything written to the anonymous file `fd`, read from offset 0.
    package static func contents(of fd: CInt) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let count = pread(fd, &buffer, buffer.count, offset)
            if count <= 0 { break }
            bytes += buffer[0..<count]
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Kills every child of this process that is still running and reaps every zombie, until none is
    /// left; returns how many were running. Used by a subreaper, so that grandchildren whose parents
    /// end are re-parented here, found by the next round, and killed too.
    package static func killDescendants() -> Int {
        var killed = 0
        var status: CInt = 0
        while true {
            let reaped = waitpid(-1, &status, WNOHANG)
            if reaped > 0 { continue }
            if reaped < 0 { return killed }  // ECHILD: nothing left
            for child in ProcFS.children(of: getpid()) where ProcFS.stat(child)?.state != "Z" {
                if kill(child, SIGKILL) == 0 { killed += 1 }
            }
            _ = waitpid(-1, &status, 0)
        }
    }

    /// Kills the process group of every child (a child the graders start leads a group of its own),
    /// so a child's own children die with it.
    package static func killChildGroups() {
        for child in ProcFS.children(of: getpid()) { kill(-child, SIGKILL) }
    }

    /// Makes this process the subreaper of its descendants (prctl(PR_SET_CHILD_SUBREAPER)).
    package static func becomeSubreaper() { _ = cs_set_child_subreaper(1) }

    /// A raw wait status decoded with the C macros, or nil for a word the kernel never produces.
    package static func decode(_ raw: CInt) -> WaitStatus? { Children.decode(raw) }
}
