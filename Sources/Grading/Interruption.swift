import Conformance
import Foundation
import Glibc

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP stop a tool and everything it started.
///
/// The programs a tool runs are in process groups of their own (`Spawn`), so the terminal's Ctrl-C
/// reaches the tool alone and would leave a `swift build` or a runner going. Instead, these signals
/// are blocked in every thread (threads inherit the mask of the thread that creates them, so this is
/// done first) and one thread takes them with `sigwait`: it kills each child's group and every
/// descendant left, says so, and exits with 128 + the signal's number, as a shell reports it.
enum Interruption {
    static func stopEverythingOnSignal() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        let waited = signals
        let waiter = Thread {
            var signals = waited
            var received: CInt = 0
            guard sigwait(&signals, &received) == 0 else { return }
            Watching.killChildGroups()
            _ = Watching.killDescendants()
            FileHandle.standardError.write(Data("\nstopped by \(Signal(rawValue: received)): everything it started is stopped too\n".utf8))
            _exit(128 + received)
        }
        waiter.start()
    }
}
