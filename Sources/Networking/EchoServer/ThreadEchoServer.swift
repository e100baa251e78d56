import Conformance
import Threading

/// The course's thread_server (基于threading的多线程网络并发, day4 thread_server.py): the main
/// thread only accepts; each client is served by a thread of its own, which ends when the client
/// leaves. One process: the threads share the descriptors, so nothing is closed twice.
///
/// On SIGINT or SIGTERM the main thread shuts down every client's socket, which wakes the thread
/// blocked on it, waits for each thread, and returns.
public final class ThreadEchoServer {
    public let port: UInt16
    private let listener: Socket
    /// The clients being served and their threads; a thread removes its entry (and closes the
    /// socket) under the lock, so a stop never shuts down a descriptor already closed.
    private let lock = Lock()
    private var serving: [ObjectIdentifier: (client: Socket, thread: Thread)] = [:]

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
            serveInAThread(client)
        }
        StopByShutdown.watch(listener: nil, client: nil)
        stopThreads()
        listener.close()
    }

    private func serveInAThread(_ client: Socket) {
        let key = ObjectIdentifier(client)
        let thread = Thread(name: "client \(client.descriptor)", daemon: true) { [self] in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
            defer { buffer.deallocate() }
            BlockingEcho.serve(client, buffer: buffer)
            lock.withLock {
                serving[key] = nil
                client.close()
            }
        }
        lock.withLock { serving[key] = (client, thread) }
        do throws(ThreadError) {
            try thread.start()
        } catch {
            BlockingEcho.log("cannot start a thread (\(error)); the client is turned away")
            lock.withLock { serving[key] = nil }
            client.close()
        }
    }

    private func stopThreads() {
        let threads = lock.withLock {
            for (client, _) in serving.values { try? client.shutdown(.both) }
            return serving.values.map(\.thread)
        }
        for thread in threads { try? thread.join() }
    }
}
