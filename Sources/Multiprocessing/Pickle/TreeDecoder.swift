/// The `Decoder` behind `Pickle.loads`: reads values out of a `Node` tree.
struct TreeDecoder: Decoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let keyed) = node else { throw mismatch([String: Int].self, node, codingPath) }
        return KeyedDecodingContainer(KeyedContainer<Key>(node: keyed, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .unkeyed(let unkeyed) = node else { throw mismatch([Int].self, node, codingPath) }
        return UnkeyedContainer(node: unkeyed, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }
}

private func mismatch(_ type: Any.Type, _ node: Node, _ codingPath: [any CodingKey]) -> DecodingError {
    .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "the pickle holds \(node.kind)"))
}

extension Node {
    /// What a mismatch message calls this node.
    var kind: String {
        switch self {
        case .null: "nil"
        case .bool: "a Bool"
        case .int(let value): "the integer \(value)"
        case .unsigned(let value): "the integer \(value)"
        case .double: "a floating-point number"
        case .string: "a String"
        case .bytes: "bytes"
        case .keyed: "a keyed container"
        case .unkeyed: "an unkeyed container"
        case .deferred(let slot): slot.node.kind
        }
    }
}

/// Decodes a `T` from `node`: standard types directly, others through their `init(from:)`.
func decode<T: Decodable>(_ type: T.Type, from node: Node, at codingPath: [any CodingKey]) throws -> T {
    switch node {
    case .int(let value):
        // `T` is `Int` here, so the cast is exact (and Int is 64 bits wide on every Swift platform this runs on).
        if T.self == Int.self, let number = Int(exactly: value) { return unsafeBitCast(number, to: T.self) }
        if let number = integer(T.self, value) { return number }
    case .unsigned(let value):
        if let number = integer(T.self, value) { return number }
    case .string(let value) where T.self == String.self: return value as! T
    case .double(let value) where T.self == Double.self: return value as! T
    case .double(let value) where T.self == Float.self: return Float(value) as! T
    case .bool(let value) where T.self == Bool.self: return value as! T
    case .bytes(let value) where T.self == [UInt8].self: return value as! T
    default: break
    }
    if isStandardLeaf(T.self) { throw mismatch(T.self, node, codingPath) }
    return try T(from: TreeDecoder(node: node, codingPath: codingPath))
}

/// `value` as the integer type `T` when `T` is one and the value fits it.
private func integer<T, Source: BinaryInteger>(_ type: T.Type, _ value: Source) -> T? {
    switch T.self {
    case is Int.Type: Int(exactly: value) as? T
    case is Int8.Type: Int8(exactly: value) as? T
    case is Int16.Type: Int16(exactly: value) as? T
    case is Int32.Type: Int32(exactly: value) as? T
    case is Int64.Type: Int64(exactly: value) as? T
    case is UInt.Type: UInt(exactly: value) as? T
    case is UInt8.Type: UInt8(exactly: value) as? T
    case is UInt16.Type: UInt16(exactly: value) as? T
    case is UInt32.Type: UInt32(exactly: value) as? T
    case is UInt64.Type: UInt64(exactly: value) as? T
    default: nil
    }
}

/// The types the encoder writes as leaves: a node of another kind cannot be one of them.
private func isStandardLeaf(_ type: Any.Type) -> Bool {
    [Bool.self, String.self, Double.self, Float.self, Int.self, Int8.self, Int16.self, Int32.self, Int64.self,
     UInt.self, UInt8.self, UInt16.self, UInt32.self, UInt64.self].contains { $0 == type }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let node: KeyedNode
    let codingPath: [any CodingKey]

    var allKeys: [Key] { node.entries.compactMap { Key(stringValue: $0.0) } }

    func contains(_ key: Key) -> Bool { node.entries.contains { $0.0 == key.stringValue } }

    private func child(_ key: Key) throws -> Node {
        try child(named: key.stringValue, key)
    }

    /// The value stored under `name` (a key's string, or "super" for superDecoder()).
    private func child(named name: String, _ key: any CodingKey) throws -> Node {
        guard let entry = node.entries.first(where: { $0.0 == name }) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(name)"))
        }
        return entry.1
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try child(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try Multiprocessing.decode(type, from: try child(key), at: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(node: try child(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(node: try child(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(node: try child(named: "super", SuperKey()), codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(node: try child(key), codingPath: codingPath + [key])
    }
}

/// The key superDecoder() reads, whatever the container's own keys are.
private struct SuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { nil }
    init?(intValue: Int) { nil }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let node: UnkeyedNode
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(node: UnkeyedNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    var count: Int? { node.items.count }
    var isAtEnd: Bool { currentIndex >= node.items.count }

    private mutating func next(_ type: Any.Type) throws -> Node {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no more elements"))
        }
        defer { currentIndex += 1 }
        return node.items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = node.items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Multiprocessing.decode(type, from: try next(type), at: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(node: try next(KeyedNode.self), codingPath: codingPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(node: try next(UnkeyedNode.self), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        TreeDecoder(node: try next(Node.self), codingPath: codingPath)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let node: Node
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try Multiprocessing.decode(type, from: node, at: codingPath)
    }
}
