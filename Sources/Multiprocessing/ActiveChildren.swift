import Conformance
import Glibc
import Processes

/// The children this process started with `Process.start()` and has not reaped yet, and what
/// happens to them when this process exits normally: Python's `multiprocessing` atexit handler
/// (`util._exit_function`) terminates the daemonic ones, then waits for every one.
///
/// One table per process: a started child begins with an empty one, since its parent's children
/// are not its own.
final class ActiveChildren {
    private struct Entry {
        let pid: pid_t
        let daemon: Bool
    }

    /// Guards `entries` against threads that start or join processes at the same time.
    private var lock = pthread_mutex_t()
    private var entries: [Entry] = []
    /// The process this table belongs to; a plain `os.fork()` copy of it owns nothing in it.
    private let owner = getpid()
    /// How many process objects this process has created, for the names `Process-N`.
    private var created = 0
    /// `Process-` and this process's own numbers: `Process-` at the top, `Process-1:` in the child of Process-1.
    let namePrefix: String

    private init(namePrefix: String, created: Int = 0) {
        self.namePrefix = namePrefix
        self.created = created
        pthread_mutex_init(&lock, nil)
    }

    /// This process's table. After a plain `fork()` the copy inherited from the parent is replaced
    /// by an empty one that keeps counting names, as Python's `os.fork()` child does.
    static var current: ActiveChildren {
        if shared.owner != getpid() {
            shared = ActiveChildren(namePrefix: shared.namePrefix, created: shared.created)
        }
        return shared
    }
    nonisolated(unsafe) private static var shared = ActiveChildren(namePrefix: "Process-")
    nonisolated(unsafe) private static var exitHandlerInstalled = false

    /// In a child that `start()` just forked: a new, empty table whose names continue this
    /// child's own number (`Process-1:1`, `Process-1:2` ...). Only this thread exists here, so
    /// nothing is locked.
    static func startChild(named number: String) {
        shared = ActiveChildren(namePrefix: number + ":")
    }

    /// The next default name, e.g. `Process-3`.
    func nextName() -> String {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        created += 1
        return namePrefix + String(created)
    }

    /// Remembers a started child, and makes sure this process's exit handles it.
    func add(_ pid: pid_t, daemon: Bool) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        entries.append(Entry(pid: pid, daemon: daemon))
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
