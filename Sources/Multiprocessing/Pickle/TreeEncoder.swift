/// The `Encoder` behind `Pickle.dumps`: writes every value into a `Slot` of a `Node` tree.
struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let node = KeyedNode()
        slot.node = .keyed(node)
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let node = UnkeyedNode()
        slot.node = .unkeyed(node)
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(slot: slot, codingPath: codingPath)
    }
}

/// The node for a value of a standard type, or nil for a type that encodes itself.
private func leaf<Value: Encodable>(_ value: Value) -> Node? {
    switch value {
    case let value as Bool: .bool(value)
    case let value as String: .string(value)
    case let value as Double: .double(value)
    case let value as Float: .double(Double(value))
    case let value as Int: .int(Int64(value))
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

/// Encodes `value` into `slot`.
private func encode<Value: Encodable>(_ value: Value, into slot: Slot, at codingPath: [any CodingKey]) throws {
    if let node = leaf(value) {
        slot.node = node
    } else {
        try value.encode(to: TreeEncoder(slot: slot, codingPath: codingPath))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: KeyedNode
    let codingPath: [any CodingKey]

    private func slot(for key: Key) -> Slot {
        let slot = Slot()
        node.entries.append((key.stringValue, slot))
        return slot
    }

    mutating func encodeNil(forKey key: Key) throws { slot(for: key).node = .null }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try Multiprocessing.encode(value, into: slot(for: key), at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        TreeEncoder(slot: slot(for: Key(stringValue: "super")!), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot(for: key), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: UnkeyedNode
    let codingPath: [any CodingKey]
    var count: Int { node.items.count }

    private func nextSlot() -> Slot {
        let slot = Slot()
        node.items.append(slot)
        return slot
    }

    mutating func encodeNil() throws { nextSlot().node = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Multiprocessing.encode(value, into: nextSlot(), at: codingPath)
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
        try Multiprocessing.encode(value, into: slot, at: codingPath)
    }
}
