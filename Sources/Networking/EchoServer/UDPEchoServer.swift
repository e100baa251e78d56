import Conformance

/// The course's iterative UDP server (循环服务器模型: "udp比tcp更适合循环"): one socket, one
/// thread. Each datagram is sent back, unchanged, to the address it came from; there are no
/// connections, so no client ever holds the server up for long.
public final class UDPEchoServer {
    public let port: UInt16
    private let socket: Socket

    /// The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header).
    static let largestDatagram = 65507

    /// Binds 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        try StopByShutdown.install()
        socket = try SocketFactory().udp()
        try socket.bind(.loopback(port))
        self.port = try socket.localAddress().port
    }

    /// Answers datagrams until SIGINT or SIGTERM. A stop shuts the socket down, which makes the
    /// blocked recvfrom return 0 bytes, like an empty datagram: the stop flag tells them apart.
    public func serve() {
        StopByShutdown.watch(listener: socket, client: nil)
        while !StopByShutdown.requested {
            do throws(SocketError) {
                let (datagram, sender) = try socket.receiveFrom(maximum: UDPEchoServer.largestDatagram)
                if datagram.isEmpty && StopByShutdown.requested { break }
                _ = try socket.send(datagram, to: sender)
            } catch {
                // A failed receive or send (ENOBUFS, ENOMEM ...) loses one datagram, as UDP may.
                BlockingEcho.log("datagram lost: \(error)")
            }
        }
        StopByShutdown.watch(listener: nil, client: nil)
        socket.close()
    }
}
