import Conformance
import Coroutines
import Glibc

/// The course's gevent_server (day6: `gevent.spawn(handle, c)` per client, after
/// `monkey.patch_all()`): one thread, a coroutine per client on the hub (`Coroutines.Hub`). Each
/// client's code reads like the blocking thread server's, receive then send in a loop, but where
/// a call would block the coroutine parks on the hub, which runs the others.
///
/// Every socket is non-blocking: a call that would block throws `.wouldBlock`, and the coroutine
/// waits for the descriptor (`Hub.waitReadable`, `waitWritable`) and tries again. Only one
/// coroutine runs at a time, so they share one receive buffer.
public final class CoroutineEchoServer {
    public let port: UInt16
    private let listener: Socket
    private let stop: StopSignals
    private let hub = Hub.current
    /// The client coroutines still running, by their socket's descriptor.
    private var serving: [Int32: HubTask] = [:]
    private var stopping = false
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)

    /// Listens on 127.0.0.1:`port` (0: a free port).
    public init(port: UInt16) throws {
        stop = try StopSignals()
        listener = try BlockingEcho.nonBlockingListener(port: port)
        self.port = try listener.localAddress().port
    }

    deinit { buffer.deallocate() }

    /// Accepts clients, a coroutine for each, until SIGINT or SIGTERM; then ends the coroutines
    /// (each closes its socket) and closes the listener.
    public func serve() throws {
        defer { listener.close() }
        let stopper = HubTask { [self] in
            try hub.waitReadable(stop.descriptor, timeout: nil)
            stopping = true
            // Wakes the accept loop: a listener shut down is readable, and accept then fails.
            try? listener.shutdown(.both)
            return nil
        }
        // However the accept loop ends, every client's coroutine is ended (each closes its socket).
        defer {
            for task in serving.values { try? task.kill() }
            try? stopper.kill()
        }
        while !stopping {
            do throws(SocketError) {
                let client = try listener.accept().0
                try client.setBlocking(false)
                serving[client.descriptor] = HubTask { [self] in
                    defer {
                        serving[client.descriptor] = nil
                        client.close()
                    }
                    try echo(client)
                    return nil
                }
            } catch .wouldBlock {
                try hub.waitReadable(listener.descriptor, timeout: nil)
            } catch .connectionReset {
                continue
            } catch {
                guard !stopping else { break }
                // EMFILE and the like: the client stays queued; try again a little later.
                BlockingEcho.log("accept failed: \(error)")
                try hub.sleep(0.1)
            }
        }
    }

    /// Echoes `client`'s lines until it closes or resets (or the coroutine is killed). After a
    /// line that is too long, the error line is sent, the server ends its side and reads and drops
    /// what the client still sends until it closes, as the other models do.
    private func echo(_ client: Socket) throws {
        let connection = EchoConnection(client)
        var turns = 0
        while true {
            // A client that always has bytes waiting never makes a receive block: let the others
            // run every 16 rounds, as a selector server serves each ready client once a turn.
            turns += 1
            if turns % 16 == 0 { try hub.sleep(0) }
            let count: Int
            do throws(SocketError) {
                count = try client.receive(into: buffer)
            } catch .wouldBlock {
                try hub.waitReadable(client.descriptor, timeout: nil)
                continue
            } catch {
                return  // reset: the client is gone
            }
            if count == 0 { return }
            connection.received(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            // Sends the echo, waiting while the kernel has no room: a client that does not read
            // holds only its own coroutine.
            while true {
                let drained: Bool
                do throws(SocketError) { drained = try connection.flush() } catch { return }  // the client is gone
                if drained { break }
                try hub.waitWritable(client.descriptor, timeout: nil)
            }
            if connection.closing && !connection.endedWriting {
                do throws(SocketError) { try client.shutdown(.writing) } catch { return }
                connection.endedWriting = true
            }
        }
    }
}
