import Glibc

/// The checks of PIPE-1 ... PIPE-8 against an implementation of `PipeAPI`. The other side of a
/// pipe is a child the check forks; each side closes the end it does not use, as day2/pipe.py does.
public struct PipeSpec<Implementation: PipeAPI>: Spec {
    public static var concept: String { "pipe" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("PIPE-1", duplexEndsTalkBothWays),
            Check("PIPE-2", simplexEndsGoOneWay),
            Check("PIPE-3", messagesKeepTheirBoundaries),
            Check("PIPE-4", aLargeMessageArrivesWhole),
            Check("PIPE-5", endOfFileAfterTheLastMessage),
            Check("PIPE-6", pollDoesNotConsume),
            Check("PIPE-7", aClosedEndRefusesEverything),
            Check("PIPE-8", sendingToAClosedPeerIsBrokenPipe),
        ]
    }

    private func pipe(duplex: Bool) throws -> (Implementation.End, Implementation.End) {
        step("pipe(duplex: \(duplex))")
        return try implementation.pipe(duplex: duplex)
    }

    /// Forks a child that runs `body` with `end` (the parent's copy of `end` is closed after the
    /// fork) and returns its pid. The child's status says whether its sends and receives worked.
    private func child(with end: Implementation.End, closing other: Implementation.End,
                       _ body: @escaping (Implementation.End) throws -> Void) throws -> ProcessID {
        let pid = try Children.fork {
            other.close()
            return (try? body(end)) == nil ? 1 : 0
        }
        end.close()
        return pid
    }

    /// PIPE-1: the child answers each number with its double on the same end; the parent sends
    /// and receives on the other.
    func duplexEndsTalkBothWays() throws {
        let (parent, childEnd) = try pipe(duplex: true)
        let child = try child(with: childEnd, closing: parent) { end in
            try end.send("ready")
            for _ in 0..<3 { try end.send(try end.recv(Int.self) * 2) }
        }
        try expectEqual(try parent.recv(String.self), "ready", "the child's first message")
        for n in [1, 20, -7] {
            try parent.send(n)
            try expectEqual(try parent.recv(Int.self), n * 2, "the child's answer to \(n)")
        }
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status (its sends and receives worked)")
    }

    /// PIPE-2: a child sends on the writer and the parent receives on the reader; each refuses the
    /// other direction.
    func simplexEndsGoOneWay() throws {
        let (reader, writer) = try pipe(duplex: false)
        try expectThrows(PipeError.readOnly, "send on the reader") { () throws(PipeError) in try reader.send(1) }
        try expectThrows(PipeError.readOnly, "sendBytes on the reader") { () throws(PipeError) in try reader.sendBytes([1]) }
        try expectThrows(PipeError.writeOnly, "recv on the writer") { () throws(PipeError) in try writer.recv(Int.self) }
        try expectThrows(PipeError.writeOnly, "poll on the writer") { () throws(PipeError) in try writer.poll(timeout: 0) }
        let child = try child(with: writer, closing: reader) { end in try end.send([3, 4]) }
        try expectEqual(try reader.recv([Int].self), [3, 4], "what the reader received from the child")
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status")
    }

    /// PIPE-3: 100 messages of 0 ... 99 bytes and a string, all sent before the parent reads:
    /// one message per receive, each exactly as sent.
    func messagesKeepTheirBoundaries() throws {
        let (parent, childEnd) = try pipe(duplex: true)
        let child = try child(with: childEnd, closing: parent) { end in
            for size in 0..<100 { try end.sendBytes(Array(repeating: UInt8(size), count: size)) }
            try end.send("多进程 done")
        }
        step("waiting for the child to send everything and exit")
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status")
        for size in 0..<100 {
            try expectEqual(try parent.recvBytes(), Array(repeating: UInt8(size), count: size), "message \(size) (\(size) bytes)")
        }
        try expectEqual(try parent.recv(String.self), "多进程 done", "the last message")
    }

    /// PIPE-4: 16 MiB from a child, far more than the kernel buffers, arrives whole and in order
    /// (each MiB holds its own byte value).
    func aLargeMessageArrivesWhole() throws {
        let sent = (0..<16).flatMap { Array(repeating: UInt8($0 * 7 + 1), count: 1 << 20) }
        let (parent, childEnd) = try pipe(duplex: true)
        let child = try child(with: childEnd, closing: parent) { end in try end.sendBytes(sent) }
        step("receiving 16 MiB")
        let received = try parent.recvBytes()
        try expectEqual(received.count, sent.count, "the size of the message received")
        if received != sent {
            let index = received.indices.first { received[$0] != sent[$0] } ?? 0
            throw CheckFailure("the message differs from what was sent at byte \(index)")
        }
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status")
    }

    /// PIPE-5: two messages, then the child exits: both arrive, then recv throws .endOfFile at
    /// once (recv, then recvBytes), and poll says there is something to receive (the end of file).
    func endOfFileAfterTheLastMessage() throws {
        let (parent, childEnd) = try pipe(duplex: true)
        let child = try child(with: childEnd, closing: parent) { end in
            try end.send(1)
            try end.send(2)
        }
        try expectEqual(try Children.reap(child), .exited(code: 0), "the child's status")
        try expectEqual(try parent.recv(Int.self), 1, "the first message")
        try expectEqual(try parent.recv(Int.self), 2, "the second message")
        try expectEqual(try parent.poll(timeout: 0), true, "poll(timeout: 0) at end of file")
        try expectThrows(PipeError.endOfFile, "recv after the other end closed") { () throws(PipeError) in
            try parent.recv(Int.self)
        }
        try expectThrows(PipeError.endOfFile, "recvBytes after that") { () throws(PipeError) in try parent.recvBytes() }
    }

    /// PIPE-6: nothing waiting: poll(0) and poll(-1) false at once, poll(0.05) false after at
    /// least 0.05 s; a message waiting: poll true twice, recv gets it, then poll false.
    func pollDoesNotConsume() throws {
        let (a, b) = try pipe(duplex: true)
        for timeout in [0, -1, 0.05] {
            step("poll(timeout: \(timeout)) with nothing sent")
            var answer: Bool?
            var thrown: PipeError?
            let waited = ContinuousClock().measure {
                do throws(PipeError) { answer = try a.poll(timeout: timeout) } catch { thrown = error }
            }
            try expectEqual(thrown, nil, "the error poll(timeout: \(timeout)) threw")
            try expectEqual(answer, false, "poll(timeout: \(timeout)) with nothing sent")
            try expectTrue(waited >= Duration.milliseconds(Int(max(0, timeout) * 1000)),
                           "poll(timeout: \(timeout)) gave up after \(waited)")
        }
        try b.send("waiting")
        try expectEqual(try a.poll(timeout: nil), true, "poll(timeout: nil) with a message sent")
        try expectEqual(try a.poll(timeout: 0), true, "poll(timeout: 0) a second time")
        try expectEqual(try a.recv(String.self), "waiting", "recv after two polls")
        try expectEqual(try a.poll(timeout: 0), false, "poll(timeout: 0) after the message was received")
    }

    /// PIPE-7: after close(), send, recv and poll throw .closed; a second close() is harmless.
    func aClosedEndRefusesEverything() throws {
        let (a, b) = try pipe(duplex: true)
        try b.send(1)
        a.close()
        try expectThrows(PipeError.closed, "send after close()") { () throws(PipeError) in try a.send(1) }
        try expectThrows(PipeError.closed, "recv after close()") { () throws(PipeError) in try a.recv(Int.self) }
        try expectThrows(PipeError.closed, "poll after close()") { () throws(PipeError) in try a.poll(timeout: 0) }
        a.close()
    }

    /// PIPE-8: with the other end closed in every process, send throws .brokenPipe, and the
    /// sender is not killed by SIGPIPE (this check's process would be reported as crashed).
    func sendingToAClosedPeerIsBrokenPipe() throws {
        let (a, b) = try pipe(duplex: true)
        b.close()
        try expectThrows(PipeError.brokenPipe, "send to a closed peer") { () throws(PipeError) in try a.send("anyone?") }
        let (reader, writer) = try pipe(duplex: false)
        reader.close()
        try expectThrows(PipeError.brokenPipe, "sendBytes on a simplex writer whose reader closed") { () throws(PipeError) in
            try writer.sendBytes([1, 2, 3])
        }
    }
}
