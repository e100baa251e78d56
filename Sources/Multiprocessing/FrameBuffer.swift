import Conformance
import Glibc

/// Messages over a byte stream: each frame is a 4-byte little-endian length and that many bytes.
/// A pipe delivers bytes, not messages: one read may hold half a frame or many frames.
struct FrameBuffer {
    private var bytes: [UInt8] = []
    /// Where the first unconsumed byte is.
    private var start = 0
    /// How much one read(2) asks for.
    static var readSize: Int { 65536 }
    /// What each read(2) fills before its bytes are appended.
    private var scratch = [UInt8](repeating: 0, count: FrameBuffer.readSize)

    /// Appends one frame holding `parts` one after the other.
    static func append(_ parts: [UInt8]..., to buffer: inout [UInt8]) {
        let length = UInt32(parts.reduce(0) { $0 + $1.count })
        withUnsafeBytes(of: length.littleEndian) { buffer.append(contentsOf: $0) }
        for part in parts { buffer.append(contentsOf: part) }
    }

    /// One frame whose payload `write` appends, made with room for `expected` payload bytes;
    /// nil when the payload is 4 GiB or more, which a 4-byte length cannot say.
    static func frame(expected: Int, _ write: (inout [UInt8]) throws -> Void) rethrows -> [UInt8]? {
        var frame: [UInt8] = []
        frame.reserveCapacity(4 + expected)
        frame.append(contentsOf: repeatElement(0, count: 4))  // the length, known once the payload is written
        try write(&frame)
        guard let length = UInt32(exactly: frame.count - 4) else { return nil }
        frame.withUnsafeMutableBytes { $0.storeBytes(of: length.littleEndian, as: UInt32.self) }
        return frame
    }

    /// Reads what `descriptor` has (up to `readSize`) into the buffer: the count, 0 at end of file,
    /// or the error (`EAGAIN` for an empty non-blocking pipe). Retries EINTR.
    mutating func fill(from descriptor: CInt) -> Result<Int, Errno> {
        // Drop the frames already handed out; what is left is at most part of one frame.
        bytes.removeFirst(start)
        start = 0
        let count = scratch.withUnsafeMutableBytes { buffer in
            valueOrErrno { read(descriptor, buffer.baseAddress, buffer.count) }
        }
        if case .success(let n) = count { bytes += scratch[0..<n] }
        return count
    }

    /// Whether a complete frame is waiting.
    var hasFrame: Bool {
        guard bytes.count - start >= 4 else { return false }
        return bytes.count - start - 4 >= frameLength
    }

    /// The length of the frame at `start`; at least 4 bytes must be there.
    private var frameLength: Int { (0..<4).reduce(0) { $0 | Int(bytes[start + $1]) << (8 * $1) } }

    /// The next complete frame's bytes, or nil when the buffer holds only part of one.
    mutating func next() -> ArraySlice<UInt8>? {
        guard hasFrame else { return nil }
        let length = frameLength
        defer { start += 4 + length }
        return bytes[(start + 4)..<(start + 4 + length)]
    }
}
