import Glibc

/// How many threads are inside a stretch of code, counted under a pthread mutex of the check's
/// own: the most ever inside at once, and how many times it was run, whatever the implementation
/// under test does.
final class Occupancy: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Guarded by `mutex`: the threads inside now, the most seen at once, the runs finished.
    private var inside = 0
    private var most = 0
    private var runs = 0

    init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` counted as inside.
    func run(_ body: () -> Void) {
        locked {
            inside += 1
            most = max(most, inside)
        }
        body()
        locked {
            inside -= 1
            runs += 1
        }
    }

    /// The most threads that were inside at once.
    var maximum: Int { locked { most } }

    /// How many runs have finished.
    var finished: Int { locked { runs } }

    private func locked<Value>(_ body: () -> Value) -> Value {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
