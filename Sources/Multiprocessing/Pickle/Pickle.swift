/// Codable values as bytes and back: what Python's `pickle` does for everything that crosses a
/// process boundary (a pool's tasks and results, later pipes and queues).
///
///     let bytes = try Pickle.dumps([1, 2, 3])
///     let numbers = try Pickle.loads([Int].self, from: bytes)
///
/// Unlike pickle, only values travel, never code: a Swift closure cannot be sent, so a pool's
/// workers get their work function by being forked from the process that holds it.
///
/// The format is self-describing (a tag byte, then the payload), so a decoder can look keys up in
/// any order, as synthesized `Codable` conformances of enums with payloads require.
public enum Pickle {
    /// `pickle.dumps(value)`.
    public static func dumps<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try dump(value, appendingTo: &bytes)
        return bytes
    }

    /// `dumps` written at the end of `bytes`, as `pickle.dump` writes to a file: a message goes
    /// straight into its frame.
    static func dump<Value: Encodable>(_ value: Value, appendingTo bytes: inout [UInt8]) throws {
        try node(for: value, at: []).write(to: &bytes)
    }

    /// `pickle.loads(bytes)`: throws `DecodingError` for bytes that are not a pickled `Value`.
    public static func loads<Value: Decodable>(_ type: Value.Type, from bytes: ArraySlice<UInt8>) throws -> Value {
        var reader = Reader(bytes: bytes)
        let node = try reader.readNode()
        guard reader.isAtEnd else { throw Reader.corrupt("\(reader.remaining) bytes after the value") }
        return try decode(Value.self, from: node, at: [])
    }

    /// `loads` of a whole array.
    public static func loads<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try loads(type, from: bytes[...])
    }
}

/// A decoded or to-be-encoded value: the tree between Codable and bytes.
enum Node {
    case null
    case bool(Bool)
    case int(Int64)
    case unsigned(UInt64)
    case double(Double)
    case string(String)
    /// `[UInt8]`, the raw bytes of Python's `bytes`: a length and the bytes, not one node each.
    case bytes([UInt8])
    case keyed(KeyedNode)
    case unkeyed(UnkeyedNode)
    /// A value a `superEncoder()` will write later.
    case deferred(Slot)

    /// The tag byte that starts each value in the bytes.
    enum Tag: UInt8 {
        case null, bool, int, unsigned, double, string, keyed, unkeyed, bytes
    }

    func write(to bytes: inout [UInt8]) {
        switch self {
        case .null:
            bytes.append(Tag.null.rawValue)
        case .bool(let value):
            bytes.append(Tag.bool.rawValue)
            bytes.append(value ? 1 : 0)
        case .int(let value):
            bytes.append(Tag.int.rawValue)
            // Zigzag: small negative numbers stay short, -1 is 1, 1 is 2.
            Varint.write(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &bytes)
        case .unsigned(let value):
            bytes.append(Tag.unsigned.rawValue)
            Varint.write(value, to: &bytes)
        case .double(let value):
            bytes.append(Tag.double.rawValue)
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        case .string(let value):
            bytes.append(Tag.string.rawValue)
            Varint.writeString(value, to: &bytes)
        case .bytes(let value):
            bytes.append(Tag.bytes.rawValue)
            Varint.write(UInt64(value.count), to: &bytes)
            bytes.append(contentsOf: value)
        case .keyed(let node):
            bytes.append(Tag.keyed.rawValue)
            Varint.write(UInt64(node.entries.count), to: &bytes)
            for (key, value) in node.entries {
                Varint.writeString(key, to: &bytes)
                value.write(to: &bytes)
            }
        case .unkeyed(let node):
            bytes.append(Tag.unkeyed.rawValue)
            Varint.write(UInt64(node.items.count), to: &bytes)
            for item in node.items { item.write(to: &bytes) }
        case .deferred(let slot):
            slot.node.write(to: &bytes)
        }
    }
}

/// A place an encoder writes one value into.
final class Slot {
    var node: Node = .null
}

/// The entries of a keyed container, in the order they were encoded.
final class KeyedNode {
    var entries: [(String, Node)] = []
}

/// The elements of an unkeyed container.
final class UnkeyedNode {
    var items: [Node] = []
}

/// Unsigned LEB128 integers, as protobuf writes them.
enum Varint {
    static func write(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func writeString(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            write(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// Reads the bytes `Node.write` produced.
struct Reader {
    let bytes: ArraySlice<UInt8>
    private var position: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        position = bytes.startIndex
    }

    var isAtEnd: Bool { position == bytes.endIndex }
    var remaining: Int { bytes.endIndex - position }

    static func corrupt(_ what: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a pickle: \(what)"))
    }

    mutating func readNode() throws -> Node {
        guard let tag = Node.Tag(rawValue: try readByte()) else { throw Self.corrupt("unknown tag") }
        switch tag {
        case .null: return .null
        case .bool: return .bool(try readByte() != 0)
        case .int:
            let zigzag = try readVarint()
            return .int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        case .unsigned: return .unsigned(try readVarint())
        case .double:
            var bits: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 8) { bits |= UInt64(try readByte()) << shift }
            return .double(Double(bitPattern: bits))
        case .string: return .string(try readString())
        case .bytes:
            let count = try readCount()
            defer { position += count }
            return .bytes(Array(bytes[position..<position + count]))
        case .keyed:
            let node = KeyedNode()
            for _ in 0..<(try readCount()) {
                let key = try readString()
                node.entries.append((key, try readNode()))
            }
            return .keyed(node)
        case .unkeyed:
            let node = UnkeyedNode()
            let count = try readCount()
            node.items.reserveCapacity(count)
            for _ in 0..<count { node.items.append(try readNode()) }
            return .unkeyed(node)
        }
    }

    private mutating func readByte() throws -> UInt8 {
        guard position < bytes.endIndex else { throw Self.corrupt("it ends in the middle of a value") }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readVarint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let byte = try readByte()
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
        }
        throw Self.corrupt("an integer longer than 64 bits")
    }

    /// A count of elements; each takes at least one byte, so a count beyond what is left is corrupt.
    private mutating func readCount() throws -> Int {
        let count = try readVarint()
        guard count <= UInt64(remaining) else { throw Self.corrupt("a count larger than the bytes left") }
        return Int(count)
    }

    private mutating func readString() throws -> String {
        let count = try readCount()
        defer { position += count }
        return String(decoding: bytes[position..<position + count], as: UTF8.self)
    }
}
