import Conformance

/// A value in shared memory: `multiprocessing.Value(typecode, value)` (course: 共享内存, day3/value.py).
///
/// Rules SHARED-1 ... SHARED-6 (RULES.md). Grade just these: `make grade RULES=shared`.
/// Hints: map the memory with `mmap(MAP_SHARED | MAP_ANONYMOUS)` before any fork, so it has no
/// name to leave behind; put a pthread mutex (`PTHREAD_PROCESS_SHARED`, recursive) in front of the
/// elements. Check a value against its type code before writing anything.
public final class StudentValue: SharedValueObject {
    public var typeCode: Character { notImplemented() }
    public var value: SharedScalar { notImplemented() }
    public func set(_ newValue: SharedScalar) throws(SharedMemoryError) { notImplemented() }
    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        notImplemented()
    }
}

/// An array in shared memory: `multiprocessing.Array(typecode, size_or_values)` (day3/array.py).
public final class StudentArray: SharedArrayObject {
    public var typeCode: Character { notImplemented() }
    public var count: Int { notImplemented() }
    public func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar { notImplemented() }
    public func set(_ index: Int, to newValue: SharedScalar) throws(SharedMemoryError) { notImplemented() }
    public var values: [SharedScalar] { notImplemented() }
    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        notImplemented()
    }
}

/// Makes shared values and arrays for the spec.
public struct StudentSharedMemory: SharedMemoryAPI {
    public init() {}

    public func value(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) -> StudentValue {
        notImplemented()
    }
    public func array(_ typeCode: Character, count: Int) throws(SharedMemoryError) -> StudentArray { notImplemented() }
    public func array(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) -> StudentArray {
        notImplemented()
    }
}
