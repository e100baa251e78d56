/// Memory shared between processes: Python's `multiprocessing.Value(typecode, value)` and
/// `Array(typecode, size_or_values)` (course: 共享内存, day3/value.py and day3/array.py).
///
/// Rules SHARED-1 ... SHARED-6 in RULES.md; the reference is `Multiprocessing.SharedValue` and
/// `SharedArray`. Each holds C values of its type code, and a process-shared lock (`get_lock()`).
/// Deliberate differences: a value that does not fit its code is an error (ctypes silently cuts
/// it), indexes run over `0..<count` (Python counts -1 from the end), and there is no `lock=False`.
public protocol SharedValueObject: AnyObject {
    /// The type code it was made with.
    var typeCode: Character { get }
    /// `v.value`: reads the memory.
    var value: SharedScalar { get }
    /// `v.value = x`: writes the memory, or throws (and writes nothing) when `newValue` does not fit.
    func set(_ newValue: SharedScalar) throws(SharedMemoryError)
    /// `with v.get_lock():` runs `body` holding the value's lock, which other processes share.
    /// The lock is reentrant, as Python's: `value` and `set` may take it too.
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result
}

/// An array in shared memory: `Array(typecode, size_or_values)`.
public protocol SharedArrayObject: AnyObject {
    /// The type code it was made with.
    var typeCode: Character { get }
    /// `len(a)`.
    var count: Int { get }
    /// `a[index]`, for an index in `0..<count`.
    func get(_ index: Int) throws(SharedMemoryError) -> SharedScalar
    /// `a[index] = x`; nothing is written when it throws.
    func set(_ index: Int, to newValue: SharedScalar) throws(SharedMemoryError)
    /// `a[:]`: every element, in order.
    var values: [SharedScalar] { get }
    /// `with a.get_lock():`, as for a value.
    func withLock<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result
}

/// Makes shared values and arrays.
public protocol SharedMemoryAPI {
    associatedtype Value: SharedValueObject
    associatedtype SharedArray: SharedArrayObject
    /// `Value(typecode, value)`; nil starts at zero, as `Value(typecode)` does.
    func value(_ typeCode: Character, _ initial: SharedScalar?) throws(SharedMemoryError) -> Value
    /// `Array(typecode, count)`: `count` zeros.
    func array(_ typeCode: Character, count: Int) throws(SharedMemoryError) -> SharedArray
    /// `Array(typecode, values)`: one element per value.
    func array(_ typeCode: Character, _ initial: [SharedScalar]) throws(SharedMemoryError) -> SharedArray
}

/// What a shared value holds, by the kind of its type code: `c` a byte, `u` a Unicode character,
/// `f` and `d` a real number, every other code an integer. Literals make `.integer` and `.real`.
public enum SharedScalar: Equatable, Hashable, Sendable, CustomStringConvertible,
                          ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    case integer(Int)
    case real(Double)
    case byte(UInt8)
    case character(Unicode.Scalar)

    public init(integerLiteral value: Int) { self = .integer(value) }

    /// The number held by an `.integer`, else nil.
    public var integer: Int? { if case .integer(let n) = self { n } else { nil } }
    public init(floatLiteral value: Double) { self = .real(value) }

    public var description: String {
        switch self {
        case .integer(let n): "\(n)"
        case .real(let x): "\(x)"
        case .byte(let b): "byte \(b)"
        case .character(let c): "character \(c.escaped(asASCII: true))"
        }
    }
}

/// What shared memory reports instead of a value.
public enum SharedMemoryError: Error, Equatable, CustomStringConvertible {
    /// Not one of c b B u h H i I l L f d (Python: TypeError "this type has no size").
    case unknownTypeCode(Character)
    /// A value of another kind than the code holds (Python: TypeError).
    case wrongKind(typeCode: Character, SharedScalar)
    /// A value beyond what the code's C type holds (ctypes would cut it).
    case outOfRange(typeCode: Character, SharedScalar)
    /// `Array(typecode, -1)` (Python: ValueError "Array length must be >= 0").
    case negativeCount(Int)
    /// An index outside `0..<count` (Python: IndexError "invalid index").
    case indexOutOfRange(index: Int, count: Int)
    /// Another system error.
    case system(Errno)

    public var description: String {
        switch self {
        case .unknownTypeCode(let code): "unknown type code '\(code)'"
        case .wrongKind(let code, let value): "type code '\(code)' cannot hold \(value)"
        case .outOfRange(let code, let value): "\(value) is out of range for type code '\(code)'"
        case .negativeCount(let count): "an array's length must be 0 or more, not \(count)"
        case .indexOutOfRange(let index, let count): "index \(index) is outside 0..<\(count)"
        case .system(let errno): "a system call failed: \(errno)"
        }
    }
}
