import CSystem
import Conformance
import Foundation
import Glibc
import Synchronization

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP stop a tool and everything it started.
///
/// The programs a tool runs are in process groups of their own (`Spawn`), so the terminal's Ctrl-C
/// reaches the tool alone and would leave a `swift build` or a runner going. The self-pipe trick:
/// a handler for each signal writes the signal's number to a pipe, and a thread reading the pipe
/// kills each child's group and every descendant left, says so, and exits with 128 + the signal's
/// number, as a shell reports it. A handler, unlike a blocked signal taken by `sigwait`, works
/// whatever mask each thread has; it replaces an inherited SIG_IGN too (a background job's SIGINT),
/// for a tool whose children no terminal can reach must stop them itself.
enum Interruption {
    /// Held by the thread that stops everything until it exits, and taken by `Tool.run` before the
    /// tool exits: a tool whose work ends as its children are killed (a runner killed is a crashed
    /// rule, the last one) waits here for exit code 128 + the signal instead of exiting with its own.
    static let exiting = Mutex(())

    /// The pipe's write end, for the handler: a C handler cannot capture context.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    static func stopEverythingOnSignal() {
        var ends: [Int32] = [-1, -1]
        guard cs_pipe_cloexec(&ends) == 0 else { return }
        writeEnd = ends[1]
        let readEnd = ends[0]
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            let saved = errno
            _ = write(Interruption.writeEnd, &byte, 1)
            errno = saved
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaction(signal, &action, nil)
            sigaddset(&signals, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let waiter = Thread {
            var received: UInt8 = 0
            while read(readEnd, &received, 1) != 1 {
                guard errno == EINTR else { return }
            }
            exiting.withLock { _ in
                Watching.killChildGroups()
                _ = Watching.killDescendants()
                let name = Signal(rawValue: CInt(received))
                FileHandle.standardError.write(Data("\nstopped by \(name): everything it started is stopped too\n".utf8))
                _exit(128 + CInt(received))
            }
        }
        waiter.start()
    }
}
