/// An unsigned 64-bit number in the first 8 bytes of a frame, little-endian: a task's id.
enum TaskID {
    static func bytes(_ id: UInt64) -> [UInt8] {
        withUnsafeBytes(of: id.littleEndian) { Array($0) }
    }

    static func read(_ frame: ArraySlice<UInt8>) -> UInt64? {
        guard frame.count >= 8 else { return nil }
        var id: UInt64 = 0
        for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), frame.prefix(8)) { id |= UInt64(byte) << shift }
        return id
    }
}
