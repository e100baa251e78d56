import CSystem
import Conformance
import Glibc

/// A TCP or UDP socket with Python's three modes (course: IO 分类): no timeout blocks in the
/// kernel; a timeout of 0 never blocks (EAGAIN is `.wouldBlock`); a timeout t tries, and while the
/// kernel says EAGAIN waits with poll(2) for what is left of t, then gives up with `.timedOut`.
///
/// As in CPython, the descriptor is O_NONBLOCK whenever there is a timeout, and blocking otherwise;
/// sends pass MSG_NOSIGNAL, so a closed peer is `.brokenPipe`, never SIGPIPE.
public final class Socket: SocketObject {
    public private(set) var descriptor: Int32
    public private(set) var timeout: Double?

    /// Takes ownership of an open socket descriptor, blocking.
    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// `socket.socket(AF_INET, kind)`, close-on-exec.
    static func open(_ kind: Int32) throws(SocketError) -> Socket {
        let descriptor = socket(AF_INET, kind | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system(call: "socket", errno: .current) }
        return Socket(descriptor: descriptor)
    }

    public func setTimeout(_ seconds: Double?) throws(SocketError) {
        if let seconds, !(seconds >= 0) { throw .negativeTimeout(seconds) }
        let open = try openDescriptor()
        let flags = fcntl(open, F_GETFL)
        let wanted = seconds == nil ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        guard flags >= 0, fcntl(open, F_SETFL, wanted) == 0 else { throw .system(call: "fcntl", errno: .current) }
        timeout = seconds
    }

    public func setBlocking(_ blocking: Bool) throws(SocketError) {
        try setTimeout(blocking ? nil : 0)
    }

    public func setReuseAddress(_ reuse: Bool) throws(SocketError) {
        var on: Int32 = reuse ? 1 : 0
        guard setsockopt(try openDescriptor(), SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .system(call: "setsockopt(SO_REUSEADDR)", errno: .current)
        }
    }

    public func bind(_ address: SocketAddress) throws(SocketError) {
        let open = try openDescriptor(), native = try address.socketAddress()
        guard withSocketAddress(native, { Glibc.bind(open, $0, $1) }) == 0 else { throw Socket.error("bind") }
    }

    public func listen(backlog: Int32) throws(SocketError) {
        guard Glibc.listen(try openDescriptor(), backlog) == 0 else { throw Socket.error("listen") }
    }

    public func localAddress() throws(SocketError) -> SocketAddress {
        let open = try openDescriptor()
        let (result, address) = fillingSocketAddress { getsockname(open, $0, $1) }
        guard result == 0 else { throw Socket.error("getsockname") }
        return SocketAddress(address)
    }

    public func accept() throws(SocketError) -> (Socket, SocketAddress) {
        let open = try openDescriptor()
        let (connection, address) = try call("accept", waitingFor: POLLIN) {
            fillingSocketAddress { cs_accept_cloexec(open, $0, $1) }
        }
        return (Socket(descriptor: Int32(connection)), SocketAddress(address))
    }

    public func connect(_ address: SocketAddress) throws(SocketError) {
        let open = try openDescriptor(), native = try address.socketAddress()
        guard withSocketAddress(native, { Glibc.connect(open, $0, $1) }) != 0 else { return }
        let failure = Errno.current
        guard failure.rawValue == EINPROGRESS, let timeout, timeout > 0 else { throw Socket.error("connect", failure) }
        // With a timeout: wait until the handshake ends (writable), then read its outcome.
        guard try Socket.await(open, POLLOUT, until: Deadline(after: timeout)) else { throw .timedOut }
        let outcome = try pendingError()
        if outcome != 0 { throw Socket.error("connect", Errno(rawValue: outcome)) }
    }

    public func pendingError() throws(SocketError) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(try openDescriptor(), SOL_SOCKET, SO_ERROR, &error, &length) == 0 else {
            throw Socket.error("getsockopt(SO_ERROR)")
        }
        return error
    }

    public func send(_ bytes: [UInt8]) throws(SocketError) -> Int {
        let open = try openDescriptor()
        return try call("send", waitingFor: POLLOUT) {
            bytes.withUnsafeBytes { Glibc.send(open, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Sends in a loop; with a timeout, the whole call gives up after it (as Python's sendall).
    public func sendAll(_ bytes: [UInt8]) throws(SocketError) {
        let open = try openDescriptor()
        let deadline = timeout.map { Deadline(after: $0) }
        var sent = 0
        while sent < bytes.count {
            sent += try call("send", waitingFor: POLLOUT, until: deadline) {
                (bytes[sent...].withUnsafeBytes { Glibc.send(open, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }, ())
            }.0
        }
    }

    public func receive(maximum: Int) throws(SocketError) -> [UInt8] {
        let open = try openDescriptor()
        guard maximum >= 0 else { throw .system(call: "recv(\(maximum))", errno: .invalidArgument) }
        var buffer = [UInt8](repeating: 0, count: maximum)
        let count = try call("recv", waitingFor: POLLIN) {
            buffer.withUnsafeMutableBytes { recv(open, $0.baseAddress, maximum, 0) }
        }
        return Array(buffer[..<count])
    }

    /// recv(2) into a buffer the caller keeps, for servers that read often: the byte count, 0
    /// once the peer closed.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int {
        let open = try openDescriptor()
        return try call("recv", waitingFor: POLLIN) { recv(open, buffer.baseAddress, buffer.count, 0) }
    }

    /// send(2) from a buffer the caller keeps: how many bytes the kernel took. With `moreFollows`
    /// (MSG_MORE), a TCP socket holds the bytes back for what is sent next, so that a response's
    /// head and a small body leave in one segment.
    public func send(_ buffer: UnsafeRawBufferPointer, moreFollows: Bool = false) throws(SocketError) -> Int {
        let open = try openDescriptor()
        let flags = Int32(MSG_NOSIGNAL) | (moreFollows ? Int32(MSG_MORE) : 0)
        return try call("send", waitingFor: POLLOUT) { Glibc.send(open, buffer.baseAddress, buffer.count, flags) }
    }

    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Int {
        let open = try openDescriptor(), native = try address.socketAddress()
        return try call("sendto", waitingFor: POLLOUT) {
            bytes.withUnsafeBytes { buffer in
                withSocketAddress(native) { sendto(open, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), $0, $1) }
            }
        }
    }

    public func receiveFrom(maximum: Int) throws(SocketError) -> ([UInt8], SocketAddress) {
        let open = try openDescriptor()
        guard maximum >= 0 else { throw .system(call: "recvfrom(\(maximum))", errno: .invalidArgument) }
        var buffer = [UInt8](repeating: 0, count: maximum)
        let (count, sender) = try call("recvfrom", waitingFor: POLLIN) {
            fillingSocketAddress { address, length in
                buffer.withUnsafeMutableBytes { recvfrom(open, $0.baseAddress, maximum, 0, address, length) }
            }
        }
        return (Array(buffer[..<count]), SocketAddress(sender))
    }

    public func shutdown(_ how: SocketShutdown) throws(SocketError) {
        let native = switch how {
        case .reading: SHUT_RD
        case .writing: SHUT_WR
        case .both: SHUT_RDWR
        }
        guard Glibc.shutdown(try openDescriptor(), Int32(native)) == 0 else { throw Socket.error("shutdown") }
    }

    public func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    private func openDescriptor() throws(SocketError) -> Int32 {
        guard descriptor >= 0 else { throw .closed }
        return descriptor
    }

    /// Runs `attempt` (a system call returning -1 with errno on failure) in the socket's mode:
    /// again after EINTR; after EAGAIN, with a timeout, again once poll(2) says `event` within
    /// what is left of it.
    private func call<Count: BinaryInteger, Extra>(_ name: String, waitingFor event: Int32,
                                                   _ attempt: () -> (Count, Extra)) throws(SocketError) -> (Int, Extra) {
        try call(name, waitingFor: event, until: timeout.map { Deadline(after: $0) }, attempt)
    }

    /// The same with the deadline given, for calls made of several system calls (sendAll).
    private func call<Count: BinaryInteger, Extra>(_ name: String, waitingFor event: Int32, until deadline: Deadline?,
                                                   _ attempt: () -> (Count, Extra)) throws(SocketError) -> (Int, Extra) {
        while true {
            let (result, extra) = attempt()
            if result >= 0 { return (Int(result), extra) }
            let failure = Errno.current
            if failure == .interrupted { continue }
            guard failure.rawValue == EAGAIN, let timeout, timeout > 0 else { throw Socket.error(name, failure) }
            guard try Socket.await(descriptor, event, until: deadline) else { throw .timedOut }
        }
    }

    private func call<Count: BinaryInteger>(_ name: String, waitingFor event: Int32,
                                            _ attempt: () -> Count) throws(SocketError) -> Int {
        try call(name, waitingFor: event) { (attempt(), ()) }.0
    }

    /// poll(2) for `event` until `deadline`: true once ready (or in error: the retried call
    /// reports it), false once the deadline passed.
    private static func await(_ descriptor: Int32, _ event: Int32, until deadline: Deadline?) throws(SocketError) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(event), revents: 0)
        while true {
            let ready = poll(&entry, 1, deadline?.remainingMilliseconds() ?? -1)
            if ready > 0 { return true }
            if ready == 0 && deadline?.hasPassed ?? false { return false }
            if ready < 0 && Errno.current != .interrupted { throw .system(call: "poll", errno: .current) }
        }
    }

    /// The typed error for a failed call's errno.
    static func error(_ call: String, _ errno: Errno = .current) -> SocketError {
        switch errno.rawValue {
        case EAGAIN: .wouldBlock
        case EINPROGRESS: .inProgress
        case ECONNREFUSED: .connectionRefused
        case ECONNRESET: .connectionReset
        case EPIPE: .brokenPipe
        case EADDRINUSE: .addressInUse
        case ENOTCONN: .notConnected
        case EBADF: .closed
        default: .system(call: call, errno: errno)
        }
    }
}

/// The reference `SocketAPI`.
public struct SocketFactory: SocketAPI {
    public init() {}
    public func tcp() throws(SocketError) -> Socket { try Socket.open(Int32(SOCK_STREAM.rawValue)) }
    public func udp() throws(SocketError) -> Socket { try Socket.open(Int32(SOCK_DGRAM.rawValue)) }
}
