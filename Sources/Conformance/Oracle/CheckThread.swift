import CSystem
import Glibc

/// A second thread in the check process, to call a blocking function while the check's main thread
/// watches it: the only way to show that a call blocks is to see it not return while the other side
/// waits. A check starts it only after it has forked every child it needs.
final class CheckThread: @unchecked Sendable {
    private let body: () -> Void
    private var thread = pthread_t()
    /// Written once by the new thread before it runs `body`, read after `started` is readable.
    private(set) var tid: pid_t = 0
    private let started: Pipe
    /// Readable (end of file) once `body` has returned.
    let finished: Pipe

    init(_ body: @escaping () -> Void) throws {
        self.body = body
        started = try Pipe()
        finished = try Pipe()
        let box = Unmanaged.passRetained(self).toOpaque()
        let error = pthread_create(&thread, nil, { box in
            let me = Unmanaged<CheckThread>.fromOpaque(box!).takeRetainedValue()
            me.tid = cs_gettid()
            me.started.closeWriteEnd()
            me.body()
            me.finished.closeWriteEnd()
            return nil
        }, box)
        if error != 0 { throw CheckFailure.setup("pthread_create", Errno(rawValue: error)) }
        _ = try? started.readToEnd()
    }

    /// Waits until the thread is blocked in one of `syscalls`, or has returned from `body`;
    /// returns true in the first case.
    func awaitBlocked(in syscalls: Set<Int>, _ description: String) -> Bool {
        step(description)
        while true {
            if finished.isReadable() { return false }
            if let current = ProcFS.currentSyscall(ofThread: tid), syscalls.contains(current) { return true }
            usleep(1000)
        }
    }

    /// Waits until the thread sleeps (state S), whatever it sleeps in, or has returned from
    /// `body`; returns true in the first case. The body announces what it is about to block in
    /// before calling it, and the check waits for the announcement first.
    func awaitAsleep(_ description: String) -> Bool {
        step(description)
        while true {
            if finished.isReadable() { return false }
            if ProcFS.threadState(tid) == "S" { return true }
            usleep(1000)
        }
    }

    /// Sends `signal` to the thread.
    func send(_ signal: Signal) { pthread_kill(thread, signal.rawValue) }

    /// Waits for the thread to end.
    func join() { pthread_join(thread, nil) }
}
