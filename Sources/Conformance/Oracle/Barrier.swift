import Glibc

/// A barrier of the check's own (pthread_barrier_wait(3)): each of `count` threads waits in
/// `wait()` until all `count` are there, so passing it proves they were all waiting at once.
final class Barrier: @unchecked Sendable {
    private let barrier = UnsafeMutablePointer<pthread_barrier_t>.allocate(capacity: 1)

    init(_ count: Int) throws {
        let error = pthread_barrier_init(barrier, nil, UInt32(count))
        if error != 0 {
            barrier.deallocate()
            throw CheckFailure.setup("pthread_barrier_init", Errno(rawValue: error))
        }
    }

    deinit {
        pthread_barrier_destroy(barrier)
        barrier.deallocate()
    }

    /// Waits until `count` threads have called it.
    func wait() { _ = pthread_barrier_wait(barrier) }
}
