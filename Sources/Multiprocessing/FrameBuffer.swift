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

/// Sends all of `bytes` on a blocking socket, retrying short sends and EINTR; returns the error
/// that stopped it, `EPIPE` when the peer has gone (without the SIGPIPE a plain write would raise).
func sendAll(_ socket: CInt, _ bytes: [UInt8]) -> Errno? {
    var written = 0
    while written < bytes.count {
        let count = bytes.withUnsafeBufferPointer { buffer in
            valueOrErrno { send(socket, buffer.baseAddress! + written, buffer.count - written, Int32(MSG_NOSIGNAL)) }
        }
        switch count {
        case .success(let n): written += n
        case .failure(let error): return error
        }
    }
    return nil
}
