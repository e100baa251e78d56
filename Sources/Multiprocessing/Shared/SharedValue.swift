import Conformance

/// One C value in shared memory: Python's `multiprocessing.Value(typecode, value)`.
///
///     let counter = try SharedValue("i")
///     let worker = Process(target: {
///         for _ in 0..<1000 {
///             try counter.withLock { () throws(SharedMemoryError) in try counter.set(.integer(counter.value.integer! + 1)) }
///         }
///     })
///
/// `value` and `set` each take the lock, so `v.value += 1` is still two steps another process
/// can come between; `withLock` makes the pair one step (SHARED-5).
public final class SharedValue: SharedValueObject {
    private let storage: SharedElements

    /// `Value(typecode, initial)`; nil starts at zero.
    public init(_ typeCode: Character, _ initial: SharedScalar? = nil) throws(SharedMemoryError) {
        storage = try SharedElements(typeCode, count: 1)
        if let initial { try storage.set(0, to: initial) }
    }

    public var typeCode: Character { storage.typeCode.code }

    public var value: SharedScalar {
        storage.first
    }

    public func set(_ newValue: SharedScalar) throws(SharedMemoryError) { try storage.set(0, to: newValue) }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try storage.lock.withLock(body)
    }
}

/// An array of C values in shared memory: Python's `multiprocessing.Array(typecode, size_or_values)`.
public final class SharedArray: SharedArrayObject {
    private let storage: SharedElements

    /// `Array(typecode, count)`: `count` zeros.
    public init(_ typeCode: Character, count: Int) throws(SharedMemoryError) {
        storage = try SharedElements(typeCode, count: count)
    }

    /// `Array(typecode, values)`; throws, and makes nothing, when one value does not fit.
    public init(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) {
        storage = try SharedElements(typeCode, count: initial.count)
        for (index, value) in initial.enumerated() { try storage.set(index, to: value) }
    }

    public var typeCode: Character { storage.typeCode.code }
    public var count: Int { storage.count }
    public var values: [SharedScalar] { storage.values }

    public func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar { try storage.get(index) }

    public func set(_ index: Int, to newValue: SharedScalar) throws(SharedMemoryError) {
        try storage.set(index, to: newValue)
    }

    public func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try storage.lock.withLock(body)
    }
}

/// The reference `SharedMemoryAPI`.
public struct SharedMemoryFactory: SharedMemoryAPI {
    public init() {}

    public func value(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) -> SharedValue {
        try SharedValue(typeCode, initial)
    }

    public func array(_ typeCode: Character, count: Int) throws(SharedMemoryError) -> SharedArray {
        try SharedArray(typeCode, count: count)
    }

    public func array(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) -> SharedArray {
        try SharedArray(typeCode, initial)
    }
}
