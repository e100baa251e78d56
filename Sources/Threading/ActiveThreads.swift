import Conformance
import Glibc

/// The threads of this process started by `Thread` and still running: Python's `_active`.
///
/// It answers "which `Thread` am I" (for `join` on oneself and a new thread's daemon flag), and
/// lets the process's normal end wait for the non-daemon ones: an atexit handler, as Python's
/// `threading._shutdown`. After fork only the forking thread exists in the child, so a
/// pthread_atfork handler forgets the others and marks nothing as running there.
enum ActiveThreads {
    private static let lock = Lock()
    nonisolated(unsafe) private static var threads: [UInt: Thread] = [:]
    nonisolated(unsafe) private static var installed = false

    static var current: Thread? {
        lock.withLock { threads[pthread_self()] }
    }

    /// The name of the running `Thread` whose kernel id is `tid`.
    static func name(ofKernelID tid: pid_t) -> String? {
        lock.withLock { threads.values.first { $0.nativeID == tid }?.name }
    }

    static func enter(_ thread: Thread) {
        lock.withLock {
            threads[pthread_self()] = thread
            if !installed {
                installed = true
                atexit { ActiveThreads.waitForNonDaemonThreads() }
                // The forking thread holds the table across fork, so the child's copy is whole.
                pthread_atfork({ _ = ActiveThreads.lock.take(until: nil) },
                               { try? ActiveThreads.lock.release() },
                               { ActiveThreads.forgetOtherThreads() })
            }
        }
    }

    static func leave(_ thread: Thread) {
        lock.withLock { _ = threads.removeValue(forKey: pthread_self()) }
    }

    /// At exit: joins every non-daemon thread but the caller, as they end one after another.
    private static func waitForNonDaemonThreads() {
        let me = pthread_self()
        while let next = lock.withLock({ threads.first { $0.key != me && !$0.value.isDaemon }?.value }) {
            try? next.join()
        }
    }

    /// In a fork's child: only the forking thread was copied. Runs with `lock` held by the fork.
    private static func forgetOtherThreads() {
        let me = pthread_self()
        for (id, thread) in threads where id != me { thread.endedByFork() }
        threads = threads.filter { $0.key == me }
        try? lock.release()
    }
}
