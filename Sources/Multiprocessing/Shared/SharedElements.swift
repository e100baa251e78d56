import Conformance
import Glibc

/// What `SharedValue` and `SharedArray` are made of: `count` elements of one type code in
/// `SharedMemory`, after the reentrant `ProcessMutex` that is their `get_lock()`.
///
///     | pthread_mutex_t (padded to 64 bytes) | element 0 | element 1 | ... |
final class SharedElements {
    let typeCode: TypeCode
    let count: Int
    private let memory: SharedMemory
    let lock: ProcessMutex
    private static let elementsOffset = 64

    init(_ code: Character, count: Int) throws(SharedMemoryError) {
        typeCode = try TypeCode(code)
        guard count >= 0 else { throw .negativeCount(count) }
        self.count = count
        do {
            memory = try SharedMemory(size: SharedElements.elementsOffset + max(1, count) * typeCode.size)
            lock = try ProcessMutex.initialize(memory.base.assumingMemoryBound(to: pthread_mutex_t.self), recursive: true)
        } catch {
            throw .system(error)
        }
    }

    /// Element `index`, read under the lock (Python's synchronized wrapper locks each access).
    func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar {
        let address = try self.address(index)
        return lock.withLock { typeCode.load(from: address) }
    }

    /// The first element: a `Value`'s one.
    var first: SharedScalar { lock.withLock { typeCode.load(from: elements) } }

    func set(_ index: Int, to value: SharedScalar) throws(SharedMemoryError) {
        let address = try self.address(index)
        try lock.withLock { () throws(SharedMemoryError) in try typeCode.store(value, to: address) }
    }

    var values: [SharedScalar] {
        lock.withLock { (0..<count).map { typeCode.load(from: elements + $0 * typeCode.size) } }
    }

    private var elements: UnsafeMutableRawPointer { memory.base + SharedElements.elementsOffset }

    private func address(_ index: Int) throws(SharedMemoryError) -> UnsafeMutableRawPointer {
        guard (0..<count).contains(index) else { throw .indexOutOfRange(index: index, count: count) }
        return elements + index * typeCode.size
    }
}
