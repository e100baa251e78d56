import Conformance
import Glibc

/// One client of an echo server: the bytes of the line it is still sending, and the echoed bytes
/// the kernel has not yet taken (a slow reader's backlog).
///
/// The protocol: each line (bytes up to and including "\n") comes back unchanged; a line longer
/// than `EchoConnection.lineLimit` gets an error line, and the connection is closed.
final class EchoConnection {
    /// The longest line echoed, without its "\n".
    static let lineLimit = 65536
    /// Past this many unsent bytes the server stops reading from the client until it reads.
    static let backlogLimit = 1 << 20

    let socket: Socket
    /// Received bytes after the last "\n".
    private var partialLine: [UInt8] = []
    /// Bytes to send, from `sent` on.
    private(set) var outgoing: [UInt8] = []
    private var sent = 0
    /// Set once the client sent too long a line: after the error line is sent, the server ends
    /// its side (FIN) and discards what the client still sends until it closes. Closing at once
    /// with unread bytes would send a reset, which can destroy the error line before it is read.
    private(set) var closing = false
    /// Set once the server ended its side of a closing connection.
    var endedWriting = false
    /// What the selector watches it for.
    var watched: IOEvents = .readable

    init(_ socket: Socket) { self.socket = socket }

    var unsent: Int { outgoing.count - sent }

    /// Takes received bytes: complete lines go to `outgoing`, the rest waits for its "\n".
    /// memchr(3) finds each "\n": a byte-by-byte loop costs more than the system calls.
    func received(_ bytes: UnsafeRawBufferPointer) {
        guard !closing, let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count, let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start) {
            let end = base.distance(to: UnsafeRawPointer(found)) + 1
            if partialLine.count + (end - 1 - start) > EchoConnection.lineLimit { return refuseLongLine() }
            outgoing += partialLine
            outgoing += UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            partialLine.removeAll(keepingCapacity: true)
            start = end
        }
        partialLine += UnsafeRawBufferPointer(rebasing: bytes[start...])
        if partialLine.count > EchoConnection.lineLimit { refuseLongLine() }
    }

    /// Sends what the kernel takes now; true once nothing is left to send.
    func flush() throws(SocketError) -> Bool {
        while sent < outgoing.count {
            let start = sent
            let result = outgoing.withUnsafeBytes { buffer in
                Result { () throws(SocketError) in try socket.send(UnsafeRawBufferPointer(rebasing: buffer[start...])) }
            }
            if case .failure(.wouldBlock) = result { return false }
            let count = try result.get()
            sent += count
        }
        outgoing.removeAll(keepingCapacity: true)
        sent = 0
        return true
    }

    private func refuseLongLine() {
        partialLine = []
        outgoing += Array("error: line longer than \(EchoConnection.lineLimit) bytes\n".utf8)
        closing = true
    }
}
