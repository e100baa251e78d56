import Conformance

/// One row of the course's type-code table (共享内存): the C type a code stands for, as Python's
/// `multiprocessing.sharedctypes` maps it to ctypes, with this machine's sizes (Linux, 64-bit).
///
///     code  C type          kind        bytes      code  C type          kind        bytes
///     c     char            byte        1          i     int             integer     4
///     b     signed char     integer     1          I     unsigned int    integer     4
///     B     unsigned char   integer     1          l     long            integer     8
///     u     wchar_t         character   4          L     unsigned long   integer     8
///     h     short           integer     2          f     float           real        4
///     H     unsigned short  integer     2          d     double          real        8
struct TypeCode {
    enum Kind { case signed, unsigned, real, byte, character }

    let code: Character
    let kind: Kind
    /// Bytes per element.
    let size: Int

    private static let table: [Character: (Kind, Int)] = [
        "c": (.byte, 1), "b": (.signed, 1), "B": (.unsigned, 1), "u": (.character, 4),
        "h": (.signed, 2), "H": (.unsigned, 2), "i": (.signed, 4), "I": (.unsigned, 4),
        "l": (.signed, 8), "L": (.unsigned, 8), "f": (.real, 4), "d": (.real, 8),
    ]

    init(_ code: Character) throws(SharedMemoryError) {
        guard let (kind, size) = TypeCode.table[code] else { throw .unknownTypeCode(code) }
        self.code = code
        self.kind = kind
        self.size = size
    }

    /// Reads the element at `address`.
    func load(from address: UnsafeRawPointer) -> SharedScalar {
        switch (kind, size) {
        case (.byte, _): .byte(address.load(as: UInt8.self))
        case (.character, _): .character(Unicode.Scalar(address.load(as: UInt32.self)) ?? "\u{FFFD}")
        case (.real, 4): .real(Double(address.load(as: Float.self)))
        case (.real, _): .real(address.load(as: Double.self))
        case (.signed, 1): .integer(Int(address.load(as: Int8.self)))
        case (.signed, 2): .integer(Int(address.load(as: Int16.self)))
        case (.signed, 4): .integer(Int(address.load(as: Int32.self)))
        case (.signed, _): .integer(address.load(as: Int.self))
        case (.unsigned, 1): .integer(Int(address.load(as: UInt8.self)))
        case (.unsigned, 2): .integer(Int(address.load(as: UInt16.self)))
        case (.unsigned, 4): .integer(Int(address.load(as: UInt32.self)))
        case (.unsigned, _): .integer(Int(truncatingIfNeeded: address.load(as: UInt.self)))
        }
    }

    /// Checks that `value` fits, before anything is written.
    func validate(_ value: SharedScalar) throws(SharedMemoryError) {
        switch (kind, value) {
        case (.byte, .byte), (.character, .character):
            return
        case (.byte, .integer(let n)):
            guard (0...255).contains(n) else { throw .outOfRange(typeCode: code, value) }
        case (.real, .real(let x)):
            guard size == 8 || !x.isFinite || abs(x) <= Double(Float.greatestFiniteMagnitude) else {
                throw .outOfRange(typeCode: code, value)
            }
        case (.real, .integer):
            return
        case (.signed, .integer(let n)):
            let bits = size * 8
            guard bits == 64 || (-(1 << (bits - 1))...((1 << (bits - 1)) - 1)).contains(n) else {
                throw .outOfRange(typeCode: code, value)
            }
        case (.unsigned, .integer(let n)):
            let bits = size * 8
            // 'L' reaches Int.max through this API, where C's unsigned long reaches 2^64 - 1.
            guard n >= 0 && (bits == 64 || n < 1 << bits) else { throw .outOfRange(typeCode: code, value) }
        default:
            throw .wrongKind(typeCode: code, value)
        }
    }

    /// Writes `value` at `address`, or throws without writing.
    func store(_ value: SharedScalar, to address: UnsafeMutableRawPointer) throws(SharedMemoryError) {
        try validate(value)
        switch (kind, value) {
        case (.byte, .byte(let b)): address.storeBytes(of: b, as: UInt8.self)
        case (.character, .character(let c)): address.storeBytes(of: c.value, as: UInt32.self)
        case (.real, .real(let x)): storeReal(x, to: address)
        case (.real, .integer(let n)): storeReal(Double(n), to: address)
        case (_, .integer(let n)):
            switch size {
            case 1: address.storeBytes(of: UInt8(truncatingIfNeeded: n), as: UInt8.self)
            case 2: address.storeBytes(of: UInt16(truncatingIfNeeded: n), as: UInt16.self)
            case 4: address.storeBytes(of: UInt32(truncatingIfNeeded: n), as: UInt32.self)
            default: address.storeBytes(of: n, as: Int.self)
            }
        default:
            throw .wrongKind(typeCode: code, value)
        }
    }

    private func storeReal(_ x: Double, to address: UnsafeMutableRawPointer) {
        if size == 4 { address.storeBytes(of: Float(x), as: Float.self) } else { address.storeBytes(of: x, as: Double.self) }
    }
}
