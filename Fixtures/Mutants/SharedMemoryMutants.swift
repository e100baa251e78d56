import Conformance
import Glibc
import Multiprocessing

/// A shared value that is the reference's except for the hooks given.
final class MutantValue: SharedValueObject {
    let reference: SharedValue
    let typeCode: Character
    var setting: ((SharedValue, SharedScalar) throws(SharedMemoryError) -> Void)?
    var locks = true
    /// Something the mutant holds as long as the value lives.
    var companion: AnyObject?

    init(_ reference: SharedValue, typeCode: Character) {
        self.reference = reference
        self.typeCode = typeCode
    }

    var value: SharedScalar { reference.value }
    func set(_ newValue: SharedScalar) throws(SharedMemoryError) {
        if let setting { try setting(reference, newValue) } else { try reference.set(newValue) }
    }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        locks ? try reference.withLock(body) : try body()
    }
}

/// A shared array that is the reference's except for the hook given.
final class MutantArray: SharedArrayObject {
    let reference: SharedArray
    var getting: ((SharedArray, Int) throws(SharedMemoryError) -> SharedScalar)?

    init(_ reference: SharedArray) { self.reference = reference }

    var typeCode: Character { reference.typeCode }
    var count: Int { reference.count }
    var values: [SharedScalar] { reference.values }
    func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar {
        if let getting { return try getting(reference, index) }
        return try reference.get(index)
    }
    func set(_ index: Int, to newValue: SharedScalar) throws(SharedMemoryError) { try reference.set(index, to: newValue) }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try reference.withLock(body)
    }
}

/// Makes mutant values and arrays: `code` may change the type code used underneath.
struct SharedMemoryMutant: SharedMemoryAPI {
    var code: (Character) -> Character = { $0 }
    var changeValue: (MutantValue) -> Void = { _ in }
    var changeArray: (MutantArray) -> Void = { _ in }

    func value(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) -> MutantValue {
        let value = MutantValue(try SharedValue(code(typeCode), initial), typeCode: typeCode)
        changeValue(value)
        return value
    }

    func array(_ typeCode: Character, count: Int) throws(SharedMemoryError) -> MutantArray {
        let array = MutantArray(try Multiprocessing.SharedArray(code(typeCode), count: count))
        changeArray(array)
        return array
    }

    func array(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) -> MutantArray {
        let array = MutantArray(try Multiprocessing.SharedArray(code(typeCode), initial))
        changeArray(array)
        return array
    }
}

/// Values and arrays in ordinary memory, which fork copies: each process has its own.
final class PrivateValue: SharedValueObject {
    let typeCode: Character
    private(set) var value: SharedScalar

    init(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) {
        self.typeCode = typeCode
        value = try SharedValue(typeCode, initial).value
    }

    func set(_ newValue: SharedScalar) throws(SharedMemoryError) { value = try SharedValue(typeCode, newValue).value }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result { try body() }
}

final class PrivateArray: SharedArrayObject {
    let typeCode: Character
    private(set) var values: [SharedScalar]

    init(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) {
        self.typeCode = typeCode
        values = try SharedArray(typeCode, initial).values
    }

    var count: Int { values.count }
    func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar {
        guard values.indices.contains(index) else { throw .indexOutOfRange(index: index, count: count) }
        return values[index]
    }
    func set(_ index: Int, to newValue: SharedScalar) throws(SharedMemoryError) {
        guard values.indices.contains(index) else { throw .indexOutOfRange(index: index, count: count) }
        values[index] = try SharedValue(typeCode, newValue).value
    }
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result { try body() }
}

struct PrivateMemory: SharedMemoryAPI {
    func value(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) -> PrivateValue {
        try PrivateValue(typeCode, initial)
    }
    func array(_ typeCode: Character, count: Int) throws(SharedMemoryError) -> PrivateArray {
        try PrivateArray(typeCode, Multiprocessing.SharedArray(typeCode, count: count).values)
    }
    func array(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) -> PrivateArray {
        try PrivateArray(typeCode, initial)
    }
}

/// A named POSIX shared memory object (/dev/shm/NAME) that is unlinked only when it is
/// deinitialised: a process killed before that leaves the name behind.
final class NamedSegment {
    private let name: String

    init() {
        name = "/conformance-mutant-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0o600)
        if fd >= 0 {
            ftruncate(fd, 4096)
            _ = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            close(fd)
        }
    }

    deinit { shm_unlink(name) }
}

/// The value of `n` cut to the bits of `code`'s C type, as ctypes stores it.
private func cut(_ n: Int, to code: Character) -> Int {
    switch code {
    case "b": Int(Int8(truncatingIfNeeded: n))
    case "B", "c": Int(UInt8(truncatingIfNeeded: n))
    case "h": Int(Int16(truncatingIfNeeded: n))
    case "H": Int(UInt16(truncatingIfNeeded: n))
    case "i": Int(Int32(truncatingIfNeeded: n))
    case "I": Int(UInt32(truncatingIfNeeded: n))
    default: n
    }
}

/// Computed, so no mutable global is shared.
var sharedMemoryMutants: [Mutant] {
    [
        Mutant("shared-long-is-four-bytes", "type code l is a 4-byte int, the course table's minimum size",
               rejectedBy: ["SHARED-1": .fail], SharedMemorySpec(SharedMemoryMutant(code: { $0 == "l" ? "i" : $0 }))),
        Mutant("shared-cuts-like-ctypes", "an integer out of range is cut to fit, as ctypes does, instead of refused",
               rejectedBy: ["SHARED-2": .fail],
               SharedMemorySpec(SharedMemoryMutant(changeValue: { value in
                   value.setting = { (reference, newValue) throws(SharedMemoryError) in
                       do throws(SharedMemoryError) { try reference.set(newValue) } catch .outOfRange(let code, .integer(let n)) {
                           try reference.set(.integer(cut(n, to: code)))
                       }
                   }
               }))),
        Mutant("shared-negative-index-from-end", "get(-1) returns the last element, as Python's a[-1]",
               rejectedBy: ["SHARED-3": .fail],
               SharedMemorySpec(SharedMemoryMutant(changeArray: { array in
                   array.getting = { (reference, index) throws(SharedMemoryError) in
                       try reference.get(index < 0 ? reference.count + index : index)
                   }
               }))),
        Mutant("shared-copied-on-fork", "values live in ordinary memory, which fork copies",
               rejectedBy: ["SHARED-4": .fail, "SHARED-5": .fail], SharedMemorySpec(PrivateMemory())),
        Mutant("shared-lock-does-nothing", "withLock runs its body without taking the lock",
               rejectedBy: ["SHARED-5": .fail],
               SharedMemorySpec(SharedMemoryMutant(changeValue: { value in value.locks = false }))),
        Mutant("shared-name-unlinked-at-deinit", "each value also holds a named segment in /dev/shm, unlinked only when the value is deinitialised",
               rejectedBy: ["SHARED-6": .fail],
               SharedMemorySpec(SharedMemoryMutant(changeValue: { value in value.companion = NamedSegment() }))),
    ]
}
