import Glibc

/// A member of a chat room as the checks play it: a UDP socket of their own on 127.0.0.1 that
/// sends the protocol's datagrams to the server and reads what comes back, one datagram at a time.
/// Its identity is its address, as the server's is.
final class ChatMember {
    /// What the checks call it in messages: its name once it joined, or a label.
    let label: String
    private let socket: LoopbackSocket
    private let server: UInt16

    init(_ label: String, server: UInt16) throws {
        self.label = label
        socket = try LoopbackSocket.udp()
        self.server = server
    }

    /// Sends one datagram of `text`'s UTF-8 bytes.
    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends one datagram of `bytes`.
    func send(_ bytes: [UInt8]) throws { try socket.send(bytes, toPort: server) }

    /// The next datagram, as text, within 10 s. With `keepingAlive`, sends "H" every 0.1 s while it
    /// waits, as a client that stays would.
    func next(_ what: @autoclosure () -> String, keepingAlive: Bool = false) throws -> String {
        step("\(label): waiting for a datagram: \(what())")
        let deadline = Deadline(after: 10)
        while !deadline.hasPassed {
            if keepingAlive { try send("H") }
            let wait = keepingAlive ? 0.1 : Double(deadline.remainingMilliseconds()) / 1000
            if socket.await(POLLIN, seconds: wait) {
                return String(decoding: try socket.receive(maximum: 65536), as: UTF8.self)
            }
        }
        throw CheckFailure("\(label): \(what()): no datagram came within 10 s")
    }

    /// Runs `body` while a thread of the check sends "H" for this member every 0.1 s, as a client
    /// that stays would (while the check waits for something else than this member's datagrams).
    func keptAlive<Result>(_ body: () throws -> Result) throws -> Result {
        let stop = try Pipe()
        let keeping = try CheckThread { [socket, server] in
            while !stop.isReadable() {
                try? socket.send(Array("H".utf8), toPort: server)
                usleep(100_000)
            }
        }
        defer {
            stop.closeWriteEnd()
            keeping.join()
        }
        return try body()
    }

    /// Reads the next datagram, which must be `text`.
    func expect(_ text: String, _ what: @autoclosure () -> String, keepingAlive: Bool = false) throws {
        try expectEqual(try next(what(), keepingAlive: keepingAlive), text, "\(label): \(what())")
    }

    /// Sends `request` and reads the reply, which must be an error, `E reason`.
    func expectRefused(_ request: String, _ what: @autoclosure () -> String) throws {
        try expectRefused(Array(request.utf8), what())
    }

    /// Sends `request` and reads the reply, which must be an error, `E reason`.
    func expectRefused(_ request: [UInt8], _ what: @autoclosure () -> String) throws {
        try send(request)
        let reply = try next("the reply to \(what())")
        try expectTrue(reply.hasPrefix("E "), "\(label): the reply to \(what()) was \(reply.debugDescription), not an error \"E reason\"")
    }

    /// Sends `L name` and reads the reply, which must be `OK`.
    func join(_ name: String) throws {
        try send("L \(name)")
        try expect("OK", "the reply to joining as \(name.debugDescription)")
    }
}
