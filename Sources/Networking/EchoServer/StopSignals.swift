import CSystem
import Conformance
import Glibc

/// The self-pipe trick: SIGINT and SIGTERM write a byte to a pipe whose read end a server watches
/// with its other descriptors, so a server asleep in select, poll or epoll_wait wakes up and
/// stops cleanly (a signal handler may call only async-signal-safe functions such as write(2)).
public final class StopSignals {
    /// Readable once SIGINT or SIGTERM arrived.
    public let descriptor: Int32

    /// The write end, for the handler: a C handler cannot capture context.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    /// Installs the handlers; one instance per process.
    public init() throws(SelectorError) {
        var ends: [Int32] = [-1, -1]
        guard cs_pipe_cloexec(&ends) == 0 else { throw .system(call: "pipe2", errno: .current) }
        descriptor = ends[0]
        StopSignals.writeEnd = ends[1]
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            let saved = errno
            _ = write(StopSignals.writeEnd, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        var stops = sigset_t()
        sigemptyset(&stops)
        for signal in [SIGINT, SIGTERM] {
            sigaction(signal, &action, nil)
            sigaddset(&stops, signal)
        }
        // A server started by a parent that blocks them (its mask is inherited) must still stop.
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }
}
