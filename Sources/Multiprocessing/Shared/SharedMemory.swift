import Conformance
import Glibc

/// Memory every process forked after it was made shares: an anonymous `MAP_SHARED` mapping
/// (mmap(2)). A write by one process is a write for all, where fork copies everything else.
///
/// It has no name, so nothing is left in /dev/shm: the kernel frees it when the last process
/// that maps it unmaps it or ends. CPython's `Value` and `Array` live in an arena mapped from a
/// file it deletes at once, to the same effect. The pages start as zeros.
final class SharedMemory {
    let base: UnsafeMutableRawPointer
    let size: Int

    /// Maps `size` bytes, reserving no swap until they are touched.
    init(size: Int) throws(Errno) {
        let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let address, address != MAP_FAILED else { throw .current }
        self.base = address
        self.size = size
    }

    deinit { munmap(base, size) }
}
