import CSystem
import Glibc

/// A socket the checks own, on 127.0.0.1, made with the raw system calls: the other side of every
/// connection a socket or selector check makes, so a check never relies on the implementation it
/// checks. Its calls block; a failure is the check's own setup failing.
final class LoopbackSocket {
    private(set) var descriptor: CInt

    private init(_ descriptor: CInt) { self.descriptor = descriptor }

    deinit { close() }

    /// A TCP socket listening on `port` of 127.0.0.1 (0: a free port), with SO_REUSEADDR.
    static func listener(port: UInt16 = 0, backlog: Int32 = 16) throws -> LoopbackSocket {
        let socket = try open(SOCK_STREAM)
        var on: Int32 = 1
        setsockopt(socket.descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        try socket.bind(port: port)
        try setup("listen") { Glibc.listen(socket.descriptor, backlog) }
        return socket
    }

    /// A UDP socket bound to `port` of 127.0.0.1 (0: a free port).
    static func udp(port: UInt16 = 0) throws -> LoopbackSocket {
        let socket = try open(SOCK_DGRAM)
        try socket.bind(port: port)
        return socket
    }

    /// A TCP client connected to `port` of 127.0.0.1; with `buffers`, its SO_RCVBUF and
    /// SO_SNDBUF are set to that many bytes before it connects (the kernel doubles them).
    static func connected(to port: UInt16, buffers: Int32? = nil) throws -> LoopbackSocket {
        let socket = try open(SOCK_STREAM)
        if var bytes = buffers {
            for option in [SO_RCVBUF, SO_SNDBUF] {
                try setup("setsockopt") { setsockopt(socket.descriptor, SOL_SOCKET, option, &bytes, socklen_t(MemoryLayout<Int32>.size)) }
            }
        }
        var address = loopback(port)
        _ = try exchange("connect") { withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        } } }
        return socket
    }

    /// Both ends of a TCP connection over 127.0.0.1.
    static func connection() throws -> (client: LoopbackSocket, server: LoopbackSocket) {
        let listener = try listener()
        let client = try connected(to: try listener.port())
        return (client, try listener.accept())
    }

    /// A port of 127.0.0.1 where nobody listens: bound a moment, then closed.
    static func closedPort() throws -> UInt16 {
        try listener().port()
    }

    /// The port it is bound to.
    func port() throws -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try LoopbackSocket.setup("getsockname") { withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        } }
        return UInt16(bigEndian: address.sin_port)
    }

    func accept() throws -> LoopbackSocket {
        LoopbackSocket(CInt(try LoopbackSocket.exchange("accept") { cs_accept_cloexec(descriptor, nil, nil) }))
    }

    /// Sends every byte (blocking).
    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            sent += try LoopbackSocket.exchange("send") {
                bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }

    /// One datagram to `port` of 127.0.0.1.
    func send(_ bytes: [UInt8], toPort port: UInt16) throws {
        var address = LoopbackSocket.loopback(port)
        _ = try LoopbackSocket.exchange("sendto") { bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }
        } }
    }

    /// One recv(2) of at most `maximum` bytes (blocking).
    func receive(maximum: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = try LoopbackSocket.exchange("recv") { buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, maximum, 0) } }
        return Array(buffer[..<count])
    }

    /// One datagram and the port it came from, within `seconds`: a check failure naming `what`
    /// if none comes.
    func receiveDatagram(within seconds: Double, _ what: @autoclosure () -> String) throws -> (bytes: [UInt8], port: UInt16) {
        guard self.await(POLLIN, seconds: seconds) else { throw CheckFailure("\(what()): nothing came within \(seconds) s") }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = try LoopbackSocket.exchange("recvfrom") { buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length)
            } }
        } }
        return (Array(buffer[..<count]), UInt16(bigEndian: address.sin_port))
    }

    /// Receives exactly `count` bytes, or fewer if the peer closes first.
    func receive(exactly count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let piece = try receive(maximum: min(count - bytes.count, 1 << 16))
            if piece.isEmpty { break }
            bytes += piece
        }
        return bytes
    }

    /// Receives exactly `count` bytes within `seconds`, or fewer if the peer closes first; throws
    /// `what` when they do not come in time.
    func receive(exactly count: Int, within seconds: Double, _ what: @autoclosure () -> String) throws -> [UInt8] {
        let deadline = Deadline(after: seconds)
        var bytes: [UInt8] = []
        while bytes.count < count {
            guard LoopbackSocket.await(descriptor, POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) else {
                throw CheckFailure("\(what()): \(bytes.count) of \(count) bytes came within \(seconds) s")
            }
            let piece = try receive(maximum: min(count - bytes.count, 1 << 16))
            if piece.isEmpty { break }
            bytes += piece
        }
        return bytes
    }

    /// Waits up to `seconds` for `events` (poll(2) bits); true once one of them is reported.
    func await(_ events: Int32, seconds: Double = 10) -> Bool {
        LoopbackSocket.await(descriptor, events, seconds: seconds)
    }

    /// Waits up to `seconds` for `events` on any descriptor; true once one of them is reported.
    /// With 0 seconds it looks once.
    static func await(_ descriptor: CInt, _ events: Int32, seconds: Double = 10) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        let deadline = Deadline(after: seconds)
        repeat {
            if poll(&entry, 1, deadline.remainingMilliseconds()) > 0 { return entry.revents & Int16(events) != 0 }
        } while !deadline.hasPassed
        return false
    }

    /// Closes with SO_LINGER 0, so the peer gets a reset (RST) instead of an orderly end (FIN).
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// shutdown(SHUT_RDWR): ends the connection both ways and wakes a thread blocked sending on it.
    func shutDown() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
    }

    func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    private static func open(_ kind: __socket_type) throws -> LoopbackSocket {
        LoopbackSocket(CInt(try setup("socket") { socket(AF_INET, Int32(kind.rawValue | SOCK_CLOEXEC.rawValue), 0) }))
    }

    private func bind(port: UInt16) throws {
        var address = LoopbackSocket.loopback(port)
        try LoopbackSocket.setup("bind") { withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        } } }
    }

    private static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return address
    }

    /// Runs a system call, again after EINTR; -1 throws the check's setup failure naming `call`.
    @discardableResult
    private static func setup<Value: FixedWidthInteger>(_ call: String, _ body: () -> Value) throws -> Int {
        Int(try valueOrErrno(body).mapError { CheckFailure.setup(call, $0) }.get())
    }

    /// A call whose result depends on the process at the other end (the implementation): its
    /// failure, e.g. ECONNRESET from a server that reset the connection, is the implementation's.
    private static func exchange<Value: FixedWidthInteger>(_ call: String, _ body: () -> Value) throws -> Int {
        Int(try valueOrErrno(body).mapError { CheckFailure("the check's \(call) with the implementation's socket failed with \($0)") }.get())
    }
}
