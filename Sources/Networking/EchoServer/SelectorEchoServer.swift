import Conformance
import Glibc

/// The course's select_server, poll_server and epoll_server (day5): one thread, one selector, every
/// socket non-blocking. The listener is readable when a client waits to be accepted; a client is
/// readable when it sent bytes (or closed), and writable when the kernel has room for its echo.
///
/// A client is watched for `.readable`, and also `.writable` only while its echo is backlogged;
/// past `EchoConnection.backlogLimit` unsent bytes it is watched for `.writable` alone, so a client
/// that sends without reading cannot make the server buffer without limit.
public final class SelectorEchoServer {
    public let port: UInt16
    private let selector: Selector
    private let listener: Socket
    private let stop: StopSignals
    private var connections: [Int32: EchoConnection] = [:]
    /// One receive buffer for every client.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)

    /// Listens on 127.0.0.1:`port` (0: a free port) with `mechanism`.
    public init(_ mechanism: IOMechanism, port: UInt16) throws {
        selector = try Selector(mechanism)
        stop = try StopSignals()
        listener = try BlockingEcho.nonBlockingListener(port: port)
        self.port = try listener.localAddress().port
        try selector.register(listener.descriptor, for: .readable)
        try selector.register(stop.descriptor, for: .readable)
    }

    deinit { buffer.deallocate() }

    /// Serves until SIGINT or SIGTERM, then closes every socket.
    public func serve() throws {
        defer { shutDown() }
        while true {
            for ready in try selector.wait(timeout: nil) {
                switch ready.descriptor {
                case stop.descriptor: return
                case listener.descriptor: try acceptWaitingClients()
                default: serve(ready)
                }
            }
        }
    }

    private func acceptWaitingClients() throws {
        while true {
            let client: Socket
            do throws(SocketError) {
                client = try listener.accept().0
                try client.setBlocking(false)
            } catch .wouldBlock {
                return
            } catch .connectionReset {
                continue
            } catch {
                // EMFILE and the like: report, leave the client waiting, serve the others.
                log("accept failed: \(error)")
                return
            }
            do throws(SelectorError) {
                try selector.register(client.descriptor, for: .readable)
                connections[client.descriptor] = EchoConnection(client)
            } catch {
                log("cannot serve a client: \(error)")
                client.close()
            }
        }
    }

    private func serve(_ ready: ReadyDescriptor) {
        guard let connection = connections[ready.descriptor] else { return }
        do {
            if ready.events.contains(.readable) || !ready.events.isDisjoint(with: IOEvents.alwaysReported) {
                let count = try connection.socket.receive(into: buffer)
                if count == 0 { return close(connection) }
                connection.received(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
            let drained = try connection.flush()
            if drained && connection.closing {
                guard !connection.endedWriting else { return }
                try connection.socket.shutdown(.writing)
                connection.endedWriting = true
            }
            let wanted = interest(connection, drained: drained)
            if wanted != connection.watched {
                try selector.modify(connection.socket.descriptor, for: wanted)
                connection.watched = wanted
            }
        } catch SocketError.wouldBlock {
            return
        } catch {
            close(connection)
        }
    }

    /// What to watch a connection for next.
    private func interest(_ connection: EchoConnection, drained: Bool) -> IOEvents {
        if drained { return .readable }
        if connection.unsent > EchoConnection.backlogLimit { return .writable }
        return [.readable, .writable]
    }

    private func close(_ connection: EchoConnection) {
        try? selector.unregister(connection.socket.descriptor)
        connections[connection.socket.descriptor] = nil
        connection.socket.close()
    }

    private func shutDown() {
        for connection in connections.values { close(connection) }
        listener.close()
        selector.close()
    }

    private func log(_ message: String) {
        var line = "echo-server: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
