/// The `Encoder` behind `Pickle.dumps`: writes every value into a `Slot` of a `Node` tree.
struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A second request for a container gets the same one, as with JSONEncoder.
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        guard case .keyed(let node) = slot.node else {
            let node = KeyedNode()
            slot.node = .keyed(node)
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        guard case .unkeyed(let node) = slot.node else {
            let node = UnkeyedNode()
            slot.node = .unkeyed(node)
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(slot: slot, codingPath: codingPath)
    }
}

/// The node for a value of a standard type, or nil for a type that encodes itself.
private func leaf<Value: Encodable>(_ value: Value) -> Node? {
    switch value {
    case let value as Int: .int(Int64(value))
    case let value as String: .string(value)
    case let value as Double: .double(value)
    case let value as Bool: .bool(value)
    case let value as Float: .double(Double(value))
    case let value as Int8: .int(Int64(value))
    case let value as Int16: .int(Int64(value))
    case let value as Int32: .int(Int64(value))
    case let value as Int64: .int(value)
    case let value as UInt: .unsigned(UInt64(value))
    case let value as UInt8: .unsigned(UInt64(value))
    case let value as UInt16: .unsigned(UInt64(value))
    case let value as UInt32: .unsigned(UInt64(value))
    case let value as UInt64: .unsigned(value)
    default: nil
    }
}

/// The node of `value`: a leaf, or what its `encode(to:)` wrote (containers are classes, so
/// nested containers it handed out stay attached).
func node<Value: Encodable>(for value: Value, at codingPath: [any CodingKey]) throws -> Node {
    // The most common element, without a dynamic cast: `Value` is `Int` here, so the cast is exact.
    if Value.self == Int.self { return .int(Int64(unsafeBitCast(value, to: Int.self))) }
    if Value.self == [UInt8].self { return .bytes(value as! [UInt8]) }
    if let node = leaf(value) { return node }
    let slot = Slot()
    try value.encode(to: TreeEncoder(slot: slot, codingPath: codingPath))
    return slot.node
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: KeyedNode
    let codingPath: [any CodingKey]

    /// A slot, for an encoder that writes the value after this call returns.
    private func slot(named name: String) -> Slot {
        let slot = Slot()
        node.entries.append((name, .deferred(slot)))
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { node.entries.append((key.stringValue, .null)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.entries.append((key.stringValue, try Multiprocessing.node(for: value, at: codingPath + [key])))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot(named: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot(named: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(slot: slot(named: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot(named: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: UnkeyedNode
    let codingPath: [any CodingKey]
    var count: Int { node.items.count }

    /// A slot, for an encoder that writes the element after this call returns.
    private func nextSlot() -> Slot {
        let slot = Slot()
        node.items.append(.deferred(slot))
        return slot
    }

    mutating func encodeNil() throws { node.items.append(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.items.append(try Multiprocessing.node(for: value, at: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: nextSlot(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: nextSlot(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: nextSlot(), codingPath: codingPath) }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.node = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        slot.node = try Multiprocessing.node(for: value, at: codingPath)
    }
}
