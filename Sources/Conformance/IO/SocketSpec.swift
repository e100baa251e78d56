import CSystem
import Glibc

/// The checks of SOCKET-1 ... SOCKET-9 against an implementation of `SocketAPI`. The other end of
/// every connection is the check's own `LoopbackSocket`, on 127.0.0.1.
public struct SocketSpec<Implementation: SocketAPI>: Spec {
    public static var concept: String { "socket" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("SOCKET-1", modes),
            Check("SOCKET-2", nonBlockingCallsFailAtOnce),
            Check("SOCKET-3", callsWithATimeoutGiveUp),
            Check("SOCKET-4", blockingCallsSleepUntilReady),
            Check("SOCKET-5", nonBlockingConnect),
            Check("SOCKET-6", connectToAFullQueueTimesOut),
            Check("SOCKET-7", tcpIsAByteStream),
            Check("SOCKET-8", udpKeepsDatagrams),
            Check("SOCKET-9", errors),
            Check("SOCKET-10", shutdownWakesBlockedCalls),
        ]
    }

    /// SOCKET-1: new: timeout nil; setTimeout(0) and setBlocking(false) give 0, setBlocking(true)
    /// and setTimeout(nil) give nil, setTimeout(2.5) 2.5; setTimeout(-1) throws and keeps 2.5.
    func modes() throws {
        let socket = try implementation.tcp()
        defer { socket.close() }
        try expectEqual(socket.timeout, nil, "the timeout of a new socket")
        let changes: [(String, (Implementation.Socket) throws(SocketError) -> Void, Double?)] = [
            ("setTimeout(0)", { s throws(SocketError) in try s.setTimeout(0) }, 0),
            ("setBlocking(true)", { s throws(SocketError) in try s.setBlocking(true) }, nil),
            ("setBlocking(false)", { s throws(SocketError) in try s.setBlocking(false) }, 0),
            ("setTimeout(nil)", { s throws(SocketError) in try s.setTimeout(nil) }, nil),
            ("setTimeout(2.5)", { s throws(SocketError) in try s.setTimeout(2.5) }, 2.5),
        ]
        for (name, change, timeout) in changes {
            step(name)
            try change(socket)
            try expectEqual(socket.timeout, timeout, "the timeout after \(name)")
        }
        try expectThrows(SocketError.negativeTimeout(-1), "setTimeout(-1)") { () throws(SocketError) in try socket.setTimeout(-1) }
        try expectEqual(socket.timeout, 2.5, "the timeout after a refused setTimeout(-1)")
    }

    /// SOCKET-2: not blocking: accept with no connection pending and recv with no data throw
    /// .wouldBlock; once data has arrived, recv returns it.
    func nonBlockingCallsFailAtOnce() throws {
        let listener = try listening()
        defer { listener.close() }
        try listener.setBlocking(false)
        try expectThrows(SocketError.wouldBlock, "accept() of a non-blocking listener with no connection") {
            () throws(SocketError) in try listener.accept()
        }
        let (socket, peer) = try connection()
        defer { socket.close() }
        try socket.setBlocking(false)
        try expectThrows(SocketError.wouldBlock, "receive(maximum: 10) of a non-blocking socket with no data") {
            () throws(SocketError) in try socket.receive(maximum: 10)
        }
        try peer.send(Array("ping".utf8))
        try expectTrue(LoopbackSocket.await(socket.descriptor, POLLIN), "the peer's 4 bytes never arrived")
        try expectEqual(try socket.receive(maximum: 10), Array("ping".utf8), "receive(maximum: 10) once 4 bytes arrived")
    }

    /// SOCKET-3: a timeout of 0.1: accept and recv throw .timedOut after at least 0.1 s; a recv
    /// with a timeout of 60 sleeps, and returns the data that arrives meanwhile (not after 60 s).
    func callsWithATimeoutGiveUp() throws {
        let listener = try listening()
        defer { listener.close() }
        try listener.setTimeout(0.1)
        let accepting = try expectThrowsAndTime(SocketError.timedOut, "accept() with a timeout of 0.1 and no connection") {
            () throws(SocketError) in try listener.accept()
        }
        try expectTrue(accepting >= .milliseconds(100), "accept() with a timeout of 0.1 gave up after \(accepting)")
        let (socket, peer) = try connection()
        defer { socket.close() }
        try socket.setTimeout(0.1)
        let givingUp = try expectThrowsAndTime(SocketError.timedOut, "receive(maximum: 10) with a timeout of 0.1 and no data") {
            () throws(SocketError) in try socket.receive(maximum: 10)
        }
        try expectTrue(givingUp >= .milliseconds(100), "receive with a timeout of 0.1 gave up after \(givingUp)")
        try socket.setTimeout(60)
        let announce = try Pipe(), received = try Pipe()
        let receiving = try CheckThread {
            announce.write(1)
            received.write(String(decoding: (try? socket.receive(maximum: 10)) ?? [], as: UTF8.self))
            received.closeWriteEnd()
        }
        _ = try announce.readInt32("the receiving thread ended before receive()")
        try expectTrue(receiving.awaitAsleep("waiting for receive() with a timeout of 60 to sleep"),
                       "receive() with a timeout of 60 and no data returned")
        try peer.send(Array("pong".utf8))
        try expectEqual(try received.readToEnd(), "pong", "what receive() with a timeout of 60 returned once 4 bytes arrived")
        receiving.join()
    }

    /// SOCKET-4: no timeout: accept and recv sleep (seen in /proc) until a client connects or
    /// data arrives, then return them.
    func blockingCallsSleepUntilReady() throws {
        let listener = try listening()
        defer { listener.close() }
        let port = try listener.localAddress().port
        let announce = try Pipe(), accepted = try Pipe()
        let accepting = try CheckThread {
            announce.write(1)
            let client = try? listener.accept()
            accepted.write(Int32(client?.1.port ?? 0))
        }
        _ = try announce.readInt32("the accepting thread ended before accept()")
        try expectTrue(accepting.awaitAsleep("waiting for accept() to sleep"), "accept() with no connection returned")
        let client = try LoopbackSocket.connected(to: port)
        try expectEqual(UInt16(try accepted.readInt32("accept() ended without a connection")), try client.port(),
                        "the port accept() reported for the client")
        accepting.join()

        let (socket, peer) = try connection()
        defer { socket.close() }
        let received = try Pipe()
        let receiving = try CheckThread {
            announce.write(1)
            received.write(String(decoding: (try? socket.receive(maximum: 100)) ?? [], as: UTF8.self))
            received.closeWriteEnd()
        }
        _ = try announce.readInt32("the receiving thread ended before receive()")
        try expectTrue(receiving.awaitAsleep("waiting for receive() to sleep"), "receive() with no data returned")
        try peer.send(Array("hello".utf8))
        try expectEqual(try received.readToEnd(), "hello", "what the sleeping receive() returned")
        receiving.join()
    }

    /// SOCKET-5: a non-blocking connect throws .inProgress, the socket becomes writable, and
    /// pendingError() reads 0 for a listener and ECONNREFUSED for a closed port.
    func nonBlockingConnect() throws {
        let listener = try LoopbackSocket.listener()
        for (port, outcome, place) in [(try listener.port(), 0, "a listening port"),
                                       (try LoopbackSocket.closedPort(), ECONNREFUSED, "a closed port")] {
            let socket = try implementation.tcp()
            defer { socket.close() }
            try socket.setBlocking(false)
            try expectThrows(SocketError.inProgress, "a non-blocking connect to \(place)") {
                () throws(SocketError) in try socket.connect(.loopback(port))
            }
            try expectTrue(LoopbackSocket.await(socket.descriptor, POLLOUT), "the connecting socket never became writable")
            try expectEqual(try socket.pendingError(), outcome, "pendingError() once a connect to \(place) ended")
            try expectEqual(try socket.pendingError(), 0, "pendingError() read a second time (reading clears it)")
        }
    }

    /// SOCKET-6: a listener with backlog 0 and one connection queued drops the next SYN: connect
    /// with a timeout of 0.2 throws .timedOut after at least 0.2 s.
    func connectToAFullQueueTimesOut() throws {
        let listener = try LoopbackSocket.listener(backlog: 0)
        let port = try listener.port()
        let queued = try LoopbackSocket.connected(to: port)
        try expectTrue(listener.await(POLLIN), "the first connection never reached the accept queue")
        let socket = try implementation.tcp()
        defer { socket.close() }
        try socket.setTimeout(0.2)
        let waited = try expectThrowsAndTime(SocketError.timedOut, "connect with a timeout of 0.2 to a full accept queue") {
            () throws(SocketError) in try socket.connect(.loopback(port))
        }
        try expectTrue(waited >= .milliseconds(200), "connect with a timeout of 0.2 gave up after \(waited)")
        queued.close()
    }

    /// SOCKET-7: 100 bytes waiting: receive(maximum: 10) returns 10; 1 MiB sent at once is not
    /// one receive, but arrives whole and in order through a loop; after the peer closes, receive
    /// returns no bytes, twice; sendAll of 8 MiB with a timeout (where a send takes only what the
    /// kernel has room for) arrives whole, and to a peer that reads nothing gives up with `.timedOut`.
    func tcpIsAByteStream() throws {
        let (socket, peer) = try connection()
        defer { socket.close() }
        try peer.send([UInt8](repeating: 7, count: 100))
        try expectTrue(LoopbackSocket.await(socket.descriptor, POLLIN), "the peer's 100 bytes never arrived")
        try expectEqual(try socket.receive(maximum: 10).count, 10, "bytes received by receive(maximum: 10) with 100 waiting")
        _ = try socket.receive(maximum: 90)

        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let sending = try CheckThread { try? peer.send(big) }
        let first = try socket.receive(maximum: big.count)
        try expectTrue(!first.isEmpty && first.count < big.count,
                       "one receive(maximum: 1 MiB) while 1 MiB is sent returned \(first.count) bytes (a stream returns what has arrived)")
        var all = first
        while all.count < big.count {
            let piece = try socket.receive(maximum: big.count - all.count)
            if piece.isEmpty { break }
            all += piece
        }
        sending.join()
        try expectTrue(sameBytes(all, big), "the 1 MiB received in a loop differs from what was sent (\(all.count) bytes)")

        peer.close()
        try expectEqual(try socket.receive(maximum: 10), [], "receive after the peer closed")
        try expectEqual(try socket.receive(maximum: 10), [], "receive again after the peer closed")

        // 8 MiB: more than the send buffer Linux grows to on loopback (about 4 MiB), so one send
        // of a non-blocking descriptor cannot take it all.
        var huge: [UInt8] = []
        huge.reserveCapacity(8 << 20)
        for part in 0..<8 { huge += big; huge[part << 20] = UInt8(part) }
        let (sender, reader) = try connection()
        defer { sender.close() }
        try sender.setTimeout(10)
        let readAll = try Pipe()
        let reading = try CheckThread {
            let bytes = (try? reader.receive(exactly: huge.count + 1)) ?? []
            readAll.write(sameBytes(bytes, huge) ? 1 : Int32(-bytes.count))
        }
        try sender.sendAll(huge)
        sender.close()
        let outcome = try readAll.readInt32("the reading thread ended without reporting")
        reading.join()
        try expectTrue(outcome == 1, "sendAll of 8 MiB with a timeout of 10 delivered \(outcome == 1 ? "it" : "\(-outcome) bytes") before close()")

        // A peer that reads nothing: 8 MiB cannot all be taken (the receive buffer grows only as
        // its owner reads), so sendAll must give up when its timeout has passed, as CPython's
        // sendall does, not return after a send that took part of it.
        let (stuck, silent) = try connection()
        defer {
            stuck.close()
            silent.close()
        }
        try stuck.setTimeout(0.2)
        do {
            try stuck.sendAll(huge)
            throw CheckFailure("sendAll of 8 MiB to a peer that reads nothing returned without an error (with a timeout of 0.2)")
        } catch SocketError.timedOut {
        }
    }

    /// SOCKET-8: UDP: 3 datagrams are 3 receives, each whole with the sender's port; a 100-byte
    /// datagram received with maximum 10 gives its first 10 bytes and the next receive the next
    /// datagram; datagrams sent to the peer arrive one by one.
    func udpKeepsDatagrams() throws {
        let socket = try implementation.udp()
        defer { socket.close() }
        try socket.bind(.loopback(0))
        let port = try socket.localAddress().port
        let peer = try LoopbackSocket.udp()
        let peerPort = try peer.port()
        let words = ["one", "two", "three"]
        for word in words { try peer.send(Array(word.utf8), toPort: port) }
        for word in words {
            let (bytes, sender) = try socket.receiveFrom(maximum: 100)
            try expectEqual(String(decoding: bytes, as: UTF8.self), word, "the datagram received")
            try expectEqual(sender, .loopback(peerPort), "the sender receiveFrom reported")
        }
        try peer.send(Array(repeating: UInt8(ascii: "x"), count: 100), toPort: port)
        try peer.send(Array("next".utf8), toPort: port)
        try expectEqual(try socket.receiveFrom(maximum: 10).0.count, 10, "bytes of a 100-byte datagram received with maximum 10")
        try expectEqual(String(decoding: try socket.receiveFrom(maximum: 100).0, as: UTF8.self), "next",
                        "the datagram after a cut one (the rest of a datagram is discarded)")
        for word in words { _ = try socket.send(Array(word.utf8), to: .loopback(peerPort)) }
        for word in words {
            try expectEqual(String(decoding: try peer.receive(maximum: 100), as: UTF8.self), word, "the datagram the peer received")
        }
    }

    /// SOCKET-9: connect to a closed port throws .connectionRefused; sending to a peer that reset
    /// throws .connectionReset or .brokenPipe, and the next send .brokenPipe (no SIGPIPE ends the
    /// process); binding a port in use throws .addressInUse; close() ends the connection (the peer
    /// reads end of file), later calls throw .closed and a second close() is harmless.
    func errors() throws {
        let refused = try implementation.tcp(), closedPort = try LoopbackSocket.closedPort()
        defer { refused.close() }
        try expectThrows(SocketError.connectionRefused, "connect to a closed port") {
            () throws(SocketError) in try refused.connect(.loopback(closedPort))
        }
        let (socket, peer) = try connection()
        peer.reset()
        try expectTrue(LoopbackSocket.await(socket.descriptor, POLLIN), "the peer's reset never arrived")
        var failure: SocketError?
        for _ in 0..<10 where failure == nil {
            do throws(SocketError) { _ = try socket.send(Array("after".utf8)) } catch { failure = error }
        }
        try expectTrue(failure == .connectionReset || failure == .brokenPipe,
                       "send to a peer that reset threw \(failure.map { "\($0)" } ?? "nothing in 10 sends"), not .connectionReset or .brokenPipe")
        try expectThrows(SocketError.brokenPipe, "the send after that") { () throws(SocketError) in try socket.send(Array("again".utf8)) }
        let listener = try LoopbackSocket.listener(), takenPort = try listener.port()
        let taken = try implementation.tcp()
        defer { taken.close() }
        try expectThrows(SocketError.addressInUse, "bind to a port another socket listens on") {
            () throws(SocketError) in try taken.bind(.loopback(takenPort))
        }
        socket.close()
        try expectEqual(socket.descriptor, -1, "descriptor after close()")
        let (closing, closingPeer) = try connection()
        closing.close()
        try expectTrue(closingPeer.receive(exactly: 1, within: 10, "the peer's read after close()").isEmpty,
                       "the peer read bytes after close()")
        try expectThrows(SocketError.closed, "receive on a closed socket") { () throws(SocketError) in try socket.receive(maximum: 1) }
        try expectThrows(SocketError.closed, "send on a closed socket") { () throws(SocketError) in try socket.send([1]) }
        try expectThrows(SocketError.closed, "setTimeout on a closed socket") { () throws(SocketError) in try socket.setTimeout(1) }
        socket.close()
    }

    /// Whether two byte arrays are equal, compared with memcmp (an element loop is slow in a debug build).
    private func sameBytes(_ one: [UInt8], _ other: [UInt8]) -> Bool {
        one.count == other.count && one.withUnsafeBytes { a in other.withUnsafeBytes { b in a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }

    /// SOCKET-10: a thread sleeps in accept on a listener, in receive on a connection, in
    /// receiveFrom on a UDP socket; shutdown(.both) from the check's thread wakes each: accept
    /// throws EINVAL, the receives return no bytes; the UDP socket's shutdown throws .notConnected.
    /// shutdown(.writing) sends FIN (the peer reads the end) while this end still receives.
    func shutdownWakesBlockedCalls() throws {
        let listener = try listening()
        defer { listener.close() }
        try expectWakes(listener, "accept()", "EINVAL", call: {
            do throws(SocketError) {
                _ = try listener.accept()
                return "a connection"
            } catch .system(_, let errno) where errno == .invalidArgument {
                return "EINVAL"
            } catch {
                return "\(error)"
            }
        }, shutdown: { () throws(SocketError) in try listener.shutdown(.both) })

        let (socket, peer) = try connection()
        defer { socket.close() }
        try expectWakes(socket, "receive(maximum: 100)", "0 bytes", call: {
            let bytes = try? socket.receive(maximum: 100)
            return bytes.map { "\($0.count) bytes" } ?? "an error"
        }, shutdown: { () throws(SocketError) in try socket.shutdown(.both) })
        try expectTrue(try peer.receive(exactly: 1, within: 10, "the peer's read after shutdown(.both)").isEmpty,
                       "the peer read bytes, not the end of the stream, after shutdown(.both)")

        let udp = try implementation.udp()
        defer { udp.close() }
        try udp.bind(.loopback(0))
        try expectWakes(udp, "receiveFrom(maximum: 100) on UDP", "0 bytes", call: {
            let datagram = try? udp.receiveFrom(maximum: 100)
            return datagram.map { "\($0.0.count) bytes" } ?? "an error"
        }, shutdown: {
            try expectThrows(SocketError.notConnected, "shutdown(.both) of an unconnected UDP socket") {
                () throws(SocketError) in try udp.shutdown(.both)
            }
        })

        let (half, other) = try connection()
        defer { half.close() }
        try half.shutdown(.writing)
        try expectTrue(try other.receive(exactly: 1, within: 10, "the peer's read after shutdown(.writing)").isEmpty,
                       "the peer read bytes, not the end of the stream, after shutdown(.writing)")
        try other.send(Array("still".utf8))
        try expectEqual(String(decoding: try half.receive(maximum: 100), as: UTF8.self), "still",
                        "what a socket that ended its sending still receives")
    }

    /// Runs `call` in a thread until it sleeps, then `shutdown` in this one, and expects the call
    /// to return `expected` (waiting for as long as the check may run).
    private func expectWakes(_ socket: Implementation.Socket, _ name: String, _ expected: String,
                             call: @escaping () -> String, shutdown: () throws -> Void) throws {
        let outcome = try Pipe()
        let calling = try CheckThread {
            outcome.write(call())
            outcome.closeWriteEnd()
        }
        // Blocked in the call itself (or in the poll of an implementation that waits first), not
        // asleep on the way to it: a shutdown before the call would fail it without waking it.
        let blocking: Set<Int> = Set([cs_sys_accept(), cs_sys_accept4(), cs_sys_recvfrom(), cs_sys_recvmsg(), cs_sys_read(),
                                      cs_sys_poll(), cs_sys_ppoll()].map(Int.init))
        try expectTrue(calling.awaitBlocked(in: blocking, "waiting for \(name) to block"), "\(name) returned before anything happened")
        step("shutdown while \(name) sleeps, and waiting for it to wake")
        try shutdown()
        try expectEqual(try outcome.readToEnd(), expected, "what \(name) did once another thread shut the socket down")
        calling.join()
    }

    /// A socket of the implementation listening on a free port of 127.0.0.1.
    private func listening() throws -> Implementation.Socket {
        let listener = try implementation.tcp()
        try listener.bind(.loopback(0))
        try listener.listen(backlog: 16)
        return listener
    }

    /// A blocking socket of the implementation connected to a `LoopbackSocket`, and that peer.
    private func connection() throws -> (Implementation.Socket, LoopbackSocket) {
        let listener = try LoopbackSocket.listener()
        let socket = try implementation.tcp()
        try socket.connect(.loopback(try listener.port()))
        return (socket, try listener.accept())
    }
}
