import Conformance

/// The course's 循环服务器模型: one process, one thread, blocking calls. It accepts a client,
/// serves it until it leaves, and only then accepts the next one; others wait in the listen
/// queue meanwhile. Simple and cheap, but one client at a time.
public final class LoopEchoServer {
    public let port: UInt16
    private let listener: Socket

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        listener = try BlockingEcho.listener(port: port)
        self.port = try listener.localAddress().port
    }

    /// Serves clients one after another until SIGINT or SIGTERM.
    public func serve() {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
        defer { buffer.deallocate() }
        StopByShutdown.watch(listener: listener, client: nil)
        while let client = BlockingEcho.accept(listener) {
            StopByShutdown.watch(listener: listener, client: client)
            if StopByShutdown.requested {
                client.close()
                break
            }
            BlockingEcho.serve(client, buffer: buffer)
            StopByShutdown.watch(listener: listener, client: nil)
            client.close()
        }
        StopByShutdown.watch(listener: nil, client: nil)
        listener.close()
    }
}
