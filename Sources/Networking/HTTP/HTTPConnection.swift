import Conformance
import Glibc

/// One client of the HTTP server: the bytes of requests still arriving, and the responses the
/// kernel has not taken yet, file bodies included (sent with sendfile(2), never read into memory).
final class HTTPConnection {
    /// A part of the response stream: bytes, or a region of an open file.
    private enum Part {
        case bytes([UInt8], sent: Int)
        case file(descriptor: CInt, offset: Int, remaining: Int)
    }

    let socket: Socket
    var parser: HTTPRequestParser
    private var outgoing: [Part] = []
    /// Set once the response being sent is the last: the connection closes when it is sent.
    var closesAfterSending = false
    /// Set once the last response is sent but the client had sent more: the server ended its side
    /// (FIN) and drops what arrives until the client closes.
    var discardsInput = false
    /// When the first byte of the request being read arrived (nil between requests), and when the
    /// client last sent or took bytes.
    var requestStarted: ContinuousClock.Instant?
    var lastActivity: ContinuousClock.Instant
    /// What the selector watches it for.
    var watched: IOEvents = .readable

    init(_ socket: Socket, limits: HTTPRequestParser.Limits, now: ContinuousClock.Instant) {
        self.socket = socket
        parser = HTTPRequestParser(limits: limits)
        lastActivity = now
    }

    deinit {
        for part in outgoing { if case .file(let descriptor, _, _) = part { close(descriptor) } }
    }

    /// Whether every response queued has been sent.
    var isDrained: Bool { outgoing.isEmpty }

    /// Queues a response's head and, unless `withBody` is false (HEAD, 304), its body: bytes in
    /// memory join the head (one send for both), a file follows it.
    func queue(head: [UInt8], body: HTTPResponse.Body, withBody: Bool) {
        var message = head
        if case .bytes(let bytes) = body, withBody { message += bytes }
        outgoing.append(.bytes(message, sent: 0))
        switch body {
        case .file(let descriptor, let offset, let length) where withBody && length > 0:
            outgoing.append(.file(descriptor: descriptor, offset: offset, remaining: length))
        case .file(let descriptor, _, _): close(descriptor)
        case .bytes: break
        }
    }

    /// Sends what the kernel takes now; true once everything queued is sent.
    func flush() throws(SocketError) -> Bool {
        while let part = outgoing.first {
            switch part {
            case .bytes(let bytes, let sent):
                let moreFollows = outgoing.count > 1
                let result = bytes.withUnsafeBytes { buffer in
                    Result { () throws(SocketError) in
                        try socket.send(UnsafeRawBufferPointer(rebasing: buffer[sent...]), moreFollows: moreFollows)
                    }
                }
                if case .failure(.wouldBlock) = result { return false }
                let count = try result.get()
                if sent + count < bytes.count {
                    outgoing[0] = .bytes(bytes, sent: sent + count)
                    continue
                }
            case .file(let descriptor, let offset, let remaining):
                var position = off_t(offset)
                let count = sendfile(socket.descriptor, descriptor, &position, min(remaining, 1 << 30))
                if count < 0 {
                    if errno == EAGAIN { return false }
                    if errno == EINTR { continue }
                    throw SocketError.system(call: "sendfile", errno: .current)
                }
                // The file shrank under us: the promised length cannot be sent.
                if count == 0 { throw SocketError.system(call: "sendfile", errno: Errno(rawValue: EIO)) }
                if count < remaining {
                    outgoing[0] = .file(descriptor: descriptor, offset: offset + count, remaining: remaining - count)
                    continue
                }
                close(descriptor)
            }
            outgoing.removeFirst()
        }
        return true
    }
}
