import Conformance

/// The course's fork_server (基于fork的多进程网络并发模型, day4 fork_server.py): the parent only
/// accepts; each client is served by a child process of its own (`ClientProcesses`), which exits
/// when the client leaves, reaped at once by a SIGCHLD handler so no zombie stays.
///
/// On SIGINT or SIGTERM the parent sends SIGTERM to every live child, waits for each, and exits.
public final class ForkEchoServer {
    public let port: UInt16
    private let listener: Socket

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        try ClientProcesses.install()
        listener = try BlockingEcho.listener(port: port)
        self.port = try listener.localAddress().port
    }

    /// Accepts clients, a child for each, until SIGINT or SIGTERM; then stops the children.
    public func serve() {
        StopByShutdown.watch(listener: listener, client: nil)
        while let client = BlockingEcho.accept(listener) {
            if StopByShutdown.requested {
                client.close()
                break
            }
            ClientProcesses.serve(client, listener: listener) {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
                BlockingEcho.serve(client, buffer: buffer)
            }
        }
        StopByShutdown.watch(listener: nil, client: nil)
        ClientProcesses.stopAll()
        listener.close()
    }
}
