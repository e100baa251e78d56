import Conformance

/// A TCP or UDP socket in Python's three modes: `socket.socket` with `setblocking` and
/// `settimeout` (course: IO 分类 阻塞IO, 非阻塞IO, 超时检测).
///
/// Rules SOCKET-1 ... SOCKET-10 (RULES.md). Grade just these: `make grade RULES=socket`.
/// Hints: O_NONBLOCK (fcntl F_SETFL) makes the kernel answer EAGAIN instead of sleeping; a timeout
/// is "try, and on EAGAIN poll(2) for what is left of it, then try again" (CPython does this);
/// a non-blocking connect's outcome is `getsockopt(SOL_SOCKET, SO_ERROR)`; send with MSG_NOSIGNAL;
/// shutdown(2) acts on the socket itself, for every descriptor and thread that holds it.
public final class StudentSocket: SocketObject {
    public var descriptor: Int32 { notImplemented() }
    public var timeout: Double? { notImplemented() }
    public func setTimeout(_ seconds: Double?) throws(SocketError) { notImplemented() }
    public func setBlocking(_ blocking: Bool) throws(SocketError) { notImplemented() }
    public func setReuseAddress(_ reuse: Bool) throws(SocketError) { notImplemented() }
    public func bind(_ address: SocketAddress) throws(SocketError) { notImplemented() }
    public func listen(backlog: Int32) throws(SocketError) { notImplemented() }
    public func localAddress() throws(SocketError) -> SocketAddress { notImplemented() }
    public func accept() throws(SocketError) -> (StudentSocket, SocketAddress) { notImplemented() }
    public func connect(_ address: SocketAddress) throws(SocketError) { notImplemented() }
    public func pendingError() throws(SocketError) -> Int32 { notImplemented() }
    public func send(_ bytes: [UInt8]) throws(SocketError) -> Int { notImplemented() }
    public func sendAll(_ bytes: [UInt8]) throws(SocketError) { notImplemented() }
    public func receive(maximum: Int) throws(SocketError) -> [UInt8] { notImplemented() }
    public func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Int { notImplemented() }
    public func receiveFrom(maximum: Int) throws(SocketError) -> ([UInt8], SocketAddress) { notImplemented() }
    public func shutdown(_ how: SocketShutdown) throws(SocketError) { notImplemented() }
    public func close() { notImplemented() }
}

/// Makes sockets for the spec.
public struct StudentSockets: SocketAPI {
    public init() {}

    public func tcp() throws(SocketError) -> StudentSocket { notImplemented() }
    public func udp() throws(SocketError) -> StudentSocket { notImplemented() }
}
