import Conformance
import CSystem
import Glibc

/// A 32-bit word that threads wait on and wake each other through: futex(2), what every lock of
/// this module (and glibc's pthread_mutex) is made of. The word lives in its own allocation, so
/// its address stays fixed, as the kernel needs.
final class FutexWord: @unchecked Sendable {
    let address: UnsafeMutablePointer<UInt32>

    init(_ value: UInt32 = 0) {
        address = .allocate(capacity: 1)
        address.initialize(to: value)
    }

    deinit { address.deallocate() }

    var value: UInt32 { cs_atomic_load_u32(address) }

    func store(_ value: UInt32) { cs_atomic_store_u32(address, value) }

    /// Sets the word to `desired` if it is `expected`; returns what it was.
    func compareExchange(_ expected: UInt32, _ desired: UInt32) -> UInt32 {
        cs_atomic_compare_exchange_u32(address, expected, desired)
    }

    /// Sets the word; returns what it was.
    func exchange(_ value: UInt32) -> UInt32 { cs_atomic_exchange_u32(address, value) }

    /// Sleeps while the word is `expected`, until woken or `deadline` (nil: no limit). Returns false
    /// once the deadline has passed; true otherwise (woken, changed, interrupted: look again).
    func wait(while expected: UInt32, until deadline: Deadline?) -> Bool {
        guard let deadline else {
            _ = cs_futex_wait(address, expected, nil)
            return true
        }
        guard var left = deadline.remaining() else { return false }
        _ = cs_futex_wait(address, expected, &left)
        return true
    }

    /// Wakes up to `count` sleepers.
    func wake(_ count: Int32) { _ = cs_futex_wake(address, count) }
}
