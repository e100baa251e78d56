import Glibc

/// The checks of ECHO-1 ... ECHO-5 against each model of an `EchoServerAPI` a rule applies to: the
/// server runs as its own process, and the clients are the check's `LoopbackSocket`s. An echo that
/// does not come within 10 s fails the check; so does a rule none of whose models is implemented.
public struct EchoServerSpec<Implementation: EchoServerAPI>: Spec {
    public static var concept: String { "echo-server" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("ECHO-1", echoesEveryLine),
            Check("ECHO-2", servesAHundredClientsAtOnce),
            Check("ECHO-3", slowAndVanishingClientsDelayNobody),
            Check("ECHO-4", refusesTooLongALine),
            Check("ECHO-5", stopsCleanlyOnASignal),
        ]
    }

    /// ECHO-1: "hel" then "lo\n" come back as "hello\n"; three lines in one send come back;
    /// an empty line and a line of every byte value but "\n" come back unchanged.
    func echoesEveryLine() throws {
        for model in try implementation.models("TCP", where: \.isStream) {
            let server = try implementation.start(model)
            let client = try LoopbackSocket.connected(to: server.port)
            try client.send(Array("hel".utf8))
            try expectTrue(!client.await(POLLIN, seconds: 0.1), "\(model): something came back for \"hel\", half a line")
            try client.send(Array("lo\n".utf8))
            try expectEcho(client, "hello\n", "\(model): a line sent in two pieces")
            try client.send(Array("one\ntwo\nthree\n".utf8))
            try expectEcho(client, "one\ntwo\nthree\n", "\(model): three lines sent at once")
            let everyByte = (0...255).map(UInt8.init).filter { $0 != UInt8(ascii: "\n") } + [UInt8(ascii: "\n")]
            for line in [[UInt8(ascii: "\n")], everyByte] {
                try client.send(line)
                let echo = try client.receive(exactly: line.count, within: 10, "\(model): the echo of a \(line.count)-byte line")
                try expectTrue(echo == line, "\(model): a line of \(line.count) bytes came back as \(echo)")
            }
        }
    }

    /// ECHO-2: 100 clients connected at once each send 3 lines, taking turns, and each gets its
    /// own 3 lines back.
    func servesAHundredClientsAtOnce() throws {
        for model in try implementation.models("concurrent", where: \.isConcurrent) {
            let server = try implementation.start(model)
            step("\(model): connecting 100 clients")
            let clients = try (0..<100).map { _ in try LoopbackSocket.connected(to: server.port) }
            for turn in 0..<3 {
                for (index, client) in clients.enumerated() { try client.send(Array("client \(index) line \(turn)\n".utf8)) }
            }
            for (index, client) in clients.enumerated() {
                try expectEcho(client, (0..<3).map { "client \(index) line \($0)\n" }.joined(), "\(model): client \(index) of 100")
            }
        }
    }

    /// ECHO-3: a client that sent half a line and then nothing, and one that reset the
    /// connection in the middle of a line, delay nobody: a new client is echoed; the silent one
    /// is echoed once it ends its line. A client that sends lines and reads none of their echoes
    /// is held up by the server within 64 MiB, and delays nobody either.
    func slowAndVanishingClientsDelayNobody() throws {
        for model in try implementation.models("concurrent", where: \.isConcurrent) {
            let server = try implementation.start(model)
            let silent = try LoopbackSocket.connected(to: server.port)
            try silent.send(Array("half a li".utf8))
            let vanishing = try LoopbackSocket.connected(to: server.port)
            try vanishing.send(Array("partial".utf8))
            vanishing.reset()
            for index in 0..<3 {
                let client = try LoopbackSocket.connected(to: server.port)
                try client.send(Array("client \(index)\n".utf8))
                try expectEcho(client, "client \(index)\n", "\(model): a new client while another is silent mid-line")
            }
            try silent.send(Array("ne\n".utf8))
            try expectEcho(silent, "half a line\n", "\(model): the silent client, once it ended its line")

            step("\(model): a client sending lines and reading none of their echoes")
            // Small buffers: less is in flight before the kernel holds the flood up.
            let greedy = try LoopbackSocket.connected(to: server.port, buffers: 65536)
            let line = [UInt8](repeating: UInt8(ascii: "g"), count: 16383) + [UInt8(ascii: "\n")]
            let flooding = try CheckThread { for _ in 0..<(4 << 10) { guard (try? greedy.send(line)) != nil else { return } } }
            // Both asleep, 3 looks in a row: the server has stopped taking the flood (it stopped
            // reading that client, or it is stuck sending to it), whichever thread or child
            // process serves it.
            var calm = 0
            while calm < 3 {
                try expectTrue(!flooding.finished.isReadable(),
                               "\(model): the server took 64 MiB of lines from a client that reads none of their echoes (its backlog has no limit)")
                let asleep = ProcFS.threadState(flooding.tid) == "S" && ProcFS.isAsleep(withChildren: server.pid)
                calm = asleep ? calm + 1 : 0
                usleep(1000)
            }
            let other = try LoopbackSocket.connected(to: server.port)
            try other.send(Array("not delayed\n".utf8))
            try expectEcho(other, "not delayed\n", "\(model): a client while another sends without reading")
            greedy.shutDown()
            flooding.join()
        }
    }

    /// ECHO-4: a line of 65536 bytes comes back; one of 200000 gets the error line and then the
    /// end of the connection (FIN, not a reset); the server serves the next client (on the loop
    /// model, once the refused one has left).
    func refusesTooLongALine() throws {
        for model in try implementation.models("TCP", where: \.isStream) {
            let server = try implementation.start(model)
            let client = try LoopbackSocket.connected(to: server.port)
            let longest = [UInt8](repeating: UInt8(ascii: "y"), count: 65536) + [UInt8(ascii: "\n")]
            try client.send(longest)
            let echo = try client.receive(exactly: longest.count, within: 10, "\(model): the echo of a 65536-byte line")
            try expectTrue(echo == longest, "\(model): a line of 65536 bytes came back as \(echo.count) other bytes")
            let sender = try CheckThread { _ = try? client.send([UInt8](repeating: UInt8(ascii: "x"), count: 200_000) + [10]) }
            try expectEcho(client, "error: line longer than 65536 bytes\n", "\(model): the reply to a line of 200000 bytes")
            try expectTrue(client.receive(exactly: 1, within: 10, "\(model): the end of the connection").isEmpty,
                           "\(model): the connection stayed open after the error line")
            sender.join()
            if !model.isConcurrent { client.close() }
            let next = try LoopbackSocket.connected(to: server.port)
            try next.send(Array("still here\n".utf8))
            try expectEcho(next, "still here\n", "\(model): a client after a too-long line")
        }
    }

    /// ECHO-5: SIGTERM, and SIGINT, with a client being served: the server exits with status 0
    /// within 10 s, the client's connection ends, none of the server's child processes outlives
    /// it, and the port can be bound again (TCP listened on, UDP bound).
    func stopsCleanlyOnASignal() throws {
        for model in try implementation.allModels() {
            for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                let server = try implementation.start(model)
                let client = model.isStream ? try LoopbackSocket.connected(to: server.port) : try LoopbackSocket.udp()
                try expectEcho(model, client, server, "before \(name)\n", "\(model): a client before \(name)")
                let children = ProcFS.children(of: server.pid).compactMap { pid in ProcFS.stat(pid).map { (pid, $0.startTime) } }
                step("\(model): sending \(name)")
                try expectEqual(try server.stop(with: signal), .exited(code: 0), "\(model): how the server ended on \(name)")
                for (pid, startTime) in children {
                    try expectTrue(ProcFS.stat(pid)?.startTime != startTime,
                                   "\(model): child \(pid) of the server outlived it (neither ended nor reaped by it)")
                }
                step("\(model): binding port \(server.port) again")
                if model.isStream {
                    try expectTrue(try client.receive(exactly: 1, within: 10, "\(model): the end of a client's connection").isEmpty,
                                   "\(model): a client's connection stayed open after \(name)")
                    _ = try LoopbackSocket.listener(port: server.port)
                } else {
                    _ = try LoopbackSocket.udp(port: server.port)
                }
            }
        }
    }
}
