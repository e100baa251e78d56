/// An IPv4 address and port, e.g. 127.0.0.1:8888 (Python writes `("127.0.0.1", 8888)`).
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// 127.0.0.1 at `port` (0: the kernel picks a free port at bind).
    public static func loopback(_ port: UInt16) -> SocketAddress { SocketAddress(host: "127.0.0.1", port: port) }

    public var description: String { "\(host):\(port)" }
}

/// A TCP or UDP socket: Python's `socket.socket` with its three modes (course: IO 分类 阻塞IO,
/// 非阻塞IO, 超时检测; day5 block_io.py, timeout.py).
///
/// Rules SOCKET-1 ... SOCKET-9 in RULES.md; the reference is `Networking.Socket`.
/// The mode, as in Python: no timeout (nil) blocks, a timeout of 0 never blocks (`.wouldBlock`),
/// a timeout t gives up after t seconds (`.timedOut`).
public protocol SocketObject: AnyObject {
    /// `fileno()`: the descriptor, -1 once closed.
    var descriptor: Int32 { get }
    /// `gettimeout()`: nil when blocking, 0 when non-blocking, else the seconds.
    var timeout: Double? { get }
    /// `settimeout(t)`; a negative t is `.negativeTimeout` and leaves the mode unchanged.
    func setTimeout(_ seconds: Double?) throws(SocketError)
    /// `setblocking(flag)`: true is `setTimeout(nil)`, false is `setTimeout(0)`.
    func setBlocking(_ blocking: Bool) throws(SocketError)
    /// `setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)`.
    func setReuseAddress(_ reuse: Bool) throws(SocketError)
    /// `bind(address)`; port 0 lets the kernel pick one.
    func bind(_ address: SocketAddress) throws(SocketError)
    /// `listen(backlog)`.
    func listen(backlog: Int32) throws(SocketError)
    /// `getsockname()`.
    func localAddress() throws(SocketError) -> SocketAddress
    /// `accept()`: the new connection's socket (blocking, as Python makes it when the listener
    /// has no timeout) and the client's address.
    func accept() throws(SocketError) -> (Self, SocketAddress)
    /// `connect(address)`; when not blocking, `.inProgress` (Python: BlockingIOError EINPROGRESS)
    /// and the outcome is read later with `pendingError()`.
    func connect(_ address: SocketAddress) throws(SocketError)
    /// `getsockopt(SOL_SOCKET, SO_ERROR)`: the error number of a finished non-blocking connect
    /// (0 when it succeeded), cleared by reading it.
    func pendingError() throws(SocketError) -> Int32
    /// `send(bytes)`: how many bytes the kernel took, perhaps fewer than given.
    func send(_ bytes: [UInt8]) throws(SocketError) -> Int
    /// `sendall(bytes)`: sends until every byte is taken.
    func sendAll(_ bytes: [UInt8]) throws(SocketError)
    /// `recv(n)`: at most `maximum` bytes, those that have arrived; empty once the peer closed.
    func receive(maximum: Int) throws(SocketError) -> [UInt8]
    /// `sendto(bytes, address)` on a UDP socket: one datagram.
    func send(_ bytes: [UInt8], to address: SocketAddress) throws(SocketError) -> Int
    /// `recvfrom(n)` on a UDP socket: one datagram (its first `maximum` bytes) and its sender.
    func receiveFrom(maximum: Int) throws(SocketError) -> ([UInt8], SocketAddress)
    /// `shutdown(how)`: ends receiving, sending or both, for every holder of the socket (unlike
    /// close, which ends only this descriptor). A call blocked on the socket in another thread
    /// wakes: accept throws (EINVAL), a receive returns no bytes. Ending sending sends FIN after
    /// what was sent. A socket never connected throws `.notConnected`, a UDP one too, though its
    /// blocked receive wakes all the same.
    func shutdown(_ how: SocketShutdown) throws(SocketError)
    /// `close()`: closing twice does nothing.
    func close()
}

/// What `shutdown` ends: Python's `socket.SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`.
public enum SocketShutdown: Sendable {
    case reading
    case writing
    case both
}

/// Makes sockets.
public protocol SocketAPI {
    associatedtype Socket: SocketObject
    /// `socket.socket(AF_INET, SOCK_STREAM)`: blocking.
    func tcp() throws(SocketError) -> Socket
    /// `socket.socket(AF_INET, SOCK_DGRAM)`: blocking.
    func udp() throws(SocketError) -> Socket
}

/// A socket call that failed (Python raises `OSError` subclasses for these).
public enum SocketError: Error, Equatable, CustomStringConvertible {
    /// Non-blocking and nothing to do now: EAGAIN (Python: BlockingIOError).
    case wouldBlock
    /// A non-blocking connect started: EINPROGRESS (Python: BlockingIOError).
    case inProgress
    /// The socket's timeout passed (Python: TimeoutError "timed out", `socket.timeout`).
    case timedOut
    /// `setTimeout` with a negative value (Python: ValueError "Timeout value out of range").
    case negativeTimeout(Double)
    /// A call on a closed socket (Python: OSError EBADF "Bad file descriptor").
    case closed
    /// Nobody listens there: ECONNREFUSED (Python: ConnectionRefusedError).
    case connectionRefused
    /// The peer reset the connection: ECONNRESET (Python: ConnectionResetError).
    case connectionReset
    /// Writing to a connection the peer closed: EPIPE (Python: BrokenPipeError), never SIGPIPE.
    case brokenPipe
    /// The address is taken: EADDRINUSE (Python: OSError "Address already in use").
    case addressInUse
    /// `shutdown` on a socket that is not connected: ENOTCONN (Python: OSError "Transport
    /// endpoint is not connected").
    case notConnected
    /// Any other failed system call.
    case system(call: String, errno: Errno)

    public var description: String {
        switch self {
        case .wouldBlock: "the call would block (EAGAIN)"
        case .inProgress: "the connection is in progress (EINPROGRESS)"
        case .timedOut: "timed out"
        case .negativeTimeout(let timeout): "a timeout must be 0 or more, not \(timeout)"
        case .closed: "the socket is closed"
        case .connectionRefused: "connection refused (ECONNREFUSED)"
        case .connectionReset: "connection reset by peer (ECONNRESET)"
        case .brokenPipe: "broken pipe (EPIPE)"
        case .addressInUse: "address already in use (EADDRINUSE)"
        case .notConnected: "the socket is not connected (ENOTCONN)"
        case .system(let call, let errno): "\(call) failed: \(errno)"
        }
    }
}
