import Conformance
import Glibc
import Processes

/// The children this process started with `Process.start()` and has not reaped yet: Python's
/// `multiprocessing` keeps the same table. Each `start()` first reaps those that have ended
/// (`_cleanup()`), so objects dropped without `join()` leave no zombies; a normal exit
/// (`util._exit_function`) terminates the daemonic ones, then waits for every one.
///
/// One table per process: a started child begins with an empty one, since its parent's children
/// are not its own.
final class ActiveChildren {
    private struct Entry {
        let pid: pid_t
        let daemon: Bool
        /// The object that started it, while the program still holds it: reaping through it
        /// records the status the object reports.
        weak var process: Process?
    }

    /// Guards `entries` against threads that start or join processes at the same time.
    private var lock = pthread_mutex_t()
    private var entries: [Entry] = []
    /// The process this table belongs to; a plain `os.fork()` copy of it owns nothing in it.
    private let owner = getpid()
    /// How many process objects this process has created: each gets the next number.
    private var created = 0
    /// This process's own identity and a colon (`3:` in the child of the third process object),
    /// or nothing at the top. Python numbers nested processes `Process-3:1`, `Process-3:2` ...
    private let identityPrefix: String

    private init(identityPrefix: String, created: Int = 0) {
        self.identityPrefix = identityPrefix
        self.created = created
        pthread_mutex_init(&lock, nil)
    }

    /// This process's table. After a plain `fork()` the copy inherited from the parent is replaced
    /// by an empty one that keeps counting names, as Python's `os.fork()` child does.
    static var current: ActiveChildren {
        if shared.owner != getpid() {
            shared = ActiveChildren(identityPrefix: shared.identityPrefix, created: shared.created)
        }
        return shared
    }
    nonisolated(unsafe) private static var shared = ActiveChildren(identityPrefix: "")
    nonisolated(unsafe) private static var exitHandlerInstalled = false

    /// In a child that `start()` just forked: a new, empty table whose numbers continue the
    /// child's own identity (`3:1`, `3:2` ...). Only this thread exists here, so nothing is locked.
    static func startChild(identity: String) {
        shared = ActiveChildren(identityPrefix: identity + ":")
    }

    /// The identity of the next process object, e.g. `3`, or `3:1` in the child of the third.
    func nextIdentity() -> String {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        created += 1
        return identityPrefix + String(created)
    }

    /// Remembers a started child, and makes sure this process's exit handles it.
    func add(_ pid: pid_t, daemon: Bool, process: Process) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        entries.append(Entry(pid: pid, daemon: daemon, process: process))
        if !Self.exitHandlerInstalled {
            Self.exitHandlerInstalled = true
            atexit { ActiveChildren.current.endAll() }
        }
    }

    /// Forgets a child that was reaped: its pid may be reused by an unrelated process.
    func remove(_ pid: pid_t) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        entries.removeAll { $0.pid == pid }
    }

    /// Reaps every child that has ended, without waiting for the others.
    func reapEnded() {
        pthread_mutex_lock(&lock)
        let started = entries
        pthread_mutex_unlock(&lock)
        for entry in started {
            if let process = entry.process {
                // Polls and, once ended, records the status and removes the entry.
                _ = process.isAlive
                continue
            }
            do {
                if try Wait().waitpid(ProcessID(rawValue: entry.pid), options: .noHang) != nil { remove(entry.pid) }
            } catch {
                remove(entry.pid)  // ECHILD: someone else reaped it
            }
        }
    }

    /// What a normal exit does: SIGTERM to every daemonic child, then wait for every child.
    func endAll() {
        pthread_mutex_lock(&lock)
        let owned = getpid() == owner ? entries : []
        entries = []
        pthread_mutex_unlock(&lock)
        for entry in owned where entry.daemon {
            Glibc.kill(entry.pid, SIGTERM)
        }
        for entry in owned {
            // ECHILD (someone else reaped it) needs nothing more.
            _ = try? Wait().waitpid(ProcessID(rawValue: entry.pid), options: [])
        }
    }
}
