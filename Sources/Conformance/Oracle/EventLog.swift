import CSystem
import Glibc

/// The order of events, as the tasks record them, and the threads they ran on. Under a mutex of
/// the check's own, so that an implementation running tasks on several threads at once fails
/// the checks instead of corrupting the log.
final class EventLog: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var recorded: [String] = []
    private var threadIDs: Set<Int32> = []

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<Value>(_ body: () -> Value) -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Records `entry` and the calling thread.
    func callAsFunction(_ entry: String) {
        let thread = cs_gettid()
        locked {
            recorded.append(entry)
            threadIDs.insert(thread)
        }
    }

    var entries: [String] { locked { recorded } }
    var threads: Set<Int32> { locked { threadIDs } }
}
