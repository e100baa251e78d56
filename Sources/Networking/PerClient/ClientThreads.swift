import Conformance
import Threading

/// The course's thread_server way of serving clients at once (基于threading的多线程网络并发, day4
/// thread_server.py): the main thread only accepts; each client is served by a thread of its own,
/// which ends when the client leaves. One process: the threads share the descriptors, so each
/// client's socket is closed once, by its thread, under the lock.
///
/// `stopAll` shuts down every client's socket, which wakes the thread blocked on it, and waits for
/// each thread. Used by the echo server's thread model and the FTP server.
final class ClientThreads {
    private let lock = Lock()
    private var serving: [ObjectIdentifier: (client: Socket, thread: Thread)] = [:]

    /// The clients being served.
    var count: Int { lock.withLock { serving.count } }

    /// Serves `client` on a new thread by `body`, then closes it; a client whose thread cannot
    /// start is turned away (closed) with a message on stderr.
    func serve(_ client: Socket, name: String, _ body: @escaping () -> Void) {
        let key = ObjectIdentifier(client)
        let thread = Thread(name: name, daemon: true) { [self] in
            body()
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

    /// Shuts down every client's socket and waits for each thread.
    func stopAll() {
        let threads = lock.withLock {
            for (client, _) in serving.values { try? client.shutdown(.both) }
            return serving.values.map(\.thread)
        }
        for thread in threads { try? thread.join() }
    }
}
