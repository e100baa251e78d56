import Conformance
import Coroutines
import Glibc

/// The echo server written with async/await, as the course's asyncio section suggests (asyncio's
/// `start_server` with a handler per client): one thread, a Swift task per client in a task group,
/// on `Coroutines.AsyncLoop`. The client's code reads as the coroutine server's, with `await`
/// where that one parks: a receive that would block awaits the descriptor.
///
/// On SIGINT or SIGTERM a watcher task shuts the listener down; the accept loop then cancels the
/// group, every client task's await throws `CancellationError`, and each closes its socket.
public final class AsyncEchoServer: @unchecked Sendable {
    public let port: UInt16
    private let listener: Socket
    private let stop: StopSignals
    private let loop: AsyncLoop
    /// Set by the stop watcher; read by the accept loop, on the loop's thread.
    private var stopping = false
    /// One receive buffer for every client: tasks switch only at awaits, never between a receive
    /// and the use of its bytes.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)

    /// A socket handed to a task of the loop: every task runs on the loop's one thread.
    private struct Handed: @unchecked Sendable { let socket: Socket }

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        loop = try AsyncLoop()
        stop = try StopSignals()
        listener = try BlockingEcho.nonBlockingListener(port: port)
        self.port = try listener.localAddress().port
    }

    deinit { buffer.deallocate() }

    /// Accepts clients, a task for each, until SIGINT or SIGTERM; then cancels them and closes
    /// the listener.
    public func serve() throws {
        try loop.run { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { [self] in
                    guard (try? await loop.waitReadable(stop.descriptor, timeout: nil)) != nil else { return }
                    stopping = true
                    // Wakes the accept loop: a listener shut down is readable, and accept then fails.
                    try? listener.shutdown(.both)
                }
                await acceptClients(into: &group)
                group.cancelAll()
            }
        }
        listener.close()
    }

    private func acceptClients(into group: inout DiscardingTaskGroup) async {
        while !stopping {
            do throws(SocketError) {
                let client = try listener.accept().0
                try client.setBlocking(false)
                let handed = Handed(socket: client)
                group.addTask { [self] in
                    defer { handed.socket.close() }
                    try? await echo(handed.socket)
                }
            } catch .wouldBlock {
                do {
                    try await loop.waitReadable(listener.descriptor, timeout: nil)
                } catch {
                    if !stopping { BlockingEcho.log("cannot wait for clients: \(error)") }
                    return
                }
            } catch .connectionReset {
                continue
            } catch {
                guard !stopping else { return }
                // EMFILE and the like: the client stays queued; try again a little later.
                BlockingEcho.log("accept failed: \(error)")
                try? await loop.sleep(0.1)
            }
        }
    }

    /// Echoes `client`'s lines until it closes or resets, or the task is cancelled; after a line
    /// that is too long, as the other models do.
    private func echo(_ client: Socket) async throws {
        let connection = EchoConnection(client)
        var turns = 0
        while true {
            // A client that always has bytes waiting never makes a receive block: let the others
            // run every 16 rounds, as a selector server serves each ready client once a turn.
            turns += 1
            if turns % 16 == 0 { try await loop.sleep(0) }
            let count: Int
            do throws(SocketError) {
                count = try client.receive(into: buffer)
            } catch .wouldBlock {
                try await loop.waitReadable(client.descriptor, timeout: nil)
                continue
            } catch {
                return  // reset: the client is gone
            }
            if count == 0 { return }
            connection.received(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            while true {
                let drained: Bool
                do throws(SocketError) { drained = try connection.flush() } catch { return }  // the client is gone
                if drained { break }
                try await loop.waitWritable(client.descriptor, timeout: nil)
            }
            if connection.closing && !connection.endedWriting {
                do throws(SocketError) { try client.shutdown(.writing) } catch { return }
                connection.endedWriting = true
            }
        }
    }
}
