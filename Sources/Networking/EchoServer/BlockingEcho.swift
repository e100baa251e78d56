import Conformance
import Glibc

/// What the blocking models (loop, fork, thread) share: the listening socket, and serving one
/// client with blocking calls until it leaves; and the other models' non-blocking listener.
public enum BlockingEcho {
    /// Installs the stop handlers (`StopByShutdown`) and returns a blocking TCP listener on
    /// 127.0.0.1:`port` (0: a free port), SO_REUSEADDR set so that a restarted server can listen
    /// again while old connections are in TIME_WAIT.
    public static func listener(port: UInt16) throws(SocketError) -> Socket {
        try StopByShutdown.install()
        let listener = try SocketFactory().tcp()
        try listener.setReuseAddress(true)
        try listener.bind(.loopback(port))
        try listener.listen(backlog: 1024)
        return listener
    }

    /// A non-blocking TCP listener on 127.0.0.1:`port` (0: a free port), SO_REUSEADDR set, for the
    /// models that wait for it to be readable (select, poll, epoll, coroutine, async).
    public static func nonBlockingListener(port: UInt16) throws(SocketError) -> Socket {
        let listener = try SocketFactory().tcp()
        try listener.setReuseAddress(true)
        try listener.bind(.loopback(port))
        try listener.listen(backlog: 1024)
        try listener.setBlocking(false)
        return listener
    }

    /// Accepts the next client; nil once a stop was requested (the handler shut the listener down,
    /// which makes accept fail with EINVAL).
    public static func accept(_ listener: Socket) -> Socket? {
        while !StopByShutdown.requested {
            do throws(SocketError) {
                return try listener.accept().0
            } catch .connectionReset {
                continue
            } catch {
                guard !StopByShutdown.requested else { return nil }
                // EMFILE and the like: the client stays queued; try again a little later.
                log("accept failed: \(error)")
                usleep(100_000)
            }
        }
        return nil
    }

    /// Echoes the client's lines with blocking receives and sends until it closes, resets, or
    /// the server is stopped (its socket shut down: receive returns 0); the caller closes it. After a line that is too
    /// long, the error line is sent, the server ends its side, and it reads and drops what the
    /// client still sends until the client closes (closing with unread bytes would send a reset,
    /// which could destroy the error line before the client reads it).
    public static func serve(_ client: Socket, buffer: UnsafeMutableRawBufferPointer) {
        let connection = EchoConnection(client)
        do throws(SocketError) {
            while true {
                let count = try client.receive(into: buffer)
                if count == 0 { return }
                connection.received(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                _ = try connection.flush()
                if connection.closing && !connection.endedWriting {
                    try client.shutdown(.writing)
                    connection.endedWriting = true
                }
            }
        } catch {
            return  // reset, or a broken pipe: the client is gone
        }
    }

    public static func log(_ message: String) {
        var line = "echo-server: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
