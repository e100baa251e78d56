import Conformance

/// The course's thread_server (基于threading的多线程网络并发, day4 thread_server.py): the main
/// thread only accepts; each client is served by a thread of its own (`ClientThreads`), which ends
/// when the client leaves.
///
/// On SIGINT or SIGTERM the main thread shuts down every client's socket, which wakes the thread
/// blocked on it, waits for each thread, and returns.
public final class ThreadEchoServer {
    public let port: UInt16
    private let listener: Socket
    private let clients = ClientThreads()

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        listener = try BlockingEcho.listener(port: port)
        self.port = try listener.localAddress().port
    }

    /// Accepts clients, a thread for each, until SIGINT or SIGTERM; then stops the threads.
    public func serve() {
        StopByShutdown.watch(listener: listener, client: nil)
        while let client = BlockingEcho.accept(listener) {
            if StopByShutdown.requested {
                client.close()
                break
            }
            clients.serve(client, name: "client \(client.descriptor)") {
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
                defer { buffer.deallocate() }
                BlockingEcho.serve(client, buffer: buffer)
            }
        }
        StopByShutdown.watch(listener: nil, client: nil)
        clients.stopAll()
        listener.close()
    }
}
