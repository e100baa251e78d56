import CSystem
import Conformance
import Glibc
import Networking

/// The echo servers of the mutants, run by this executable itself:
/// `mutant-runner --echo-server NAME --model M --port 0` (found the way `EchoServers` finds
/// `echo-server`: next to the running executable).
struct MutantEchoServers: EchoServerAPI {
    let name: String
    let models: [ServerModel]

    func command(_ model: ServerModel) -> ServerCommand {
        ServerCommand.sibling("mutant-runner", ["--echo-server", name, "--model", model.rawValue, "--port", "0"])
    }
}

/// The bytes a client sent after its last "\n"; a box, so that a mutant can give every client the same one.
final class LineBuffer {
    var bytes: [UInt8] = []
}

/// One client of a `MutantEchoServer`: the reference's `EchoConnection` (internal to Networking), copied.
final class EchoClient {
    let socket: Networking.Socket
    var partialLine: LineBuffer
    var outgoing: [UInt8] = []
    private var sent = 0
    /// Set once it sent too long a line: the error line is queued and what it sends is discarded.
    var closing = false
    var endedWriting = false
    /// The events the selector watches it for.
    var interest: IOEvents

    init(_ socket: Networking.Socket, _ partialLine: LineBuffer, _ interest: IOEvents) {
        self.socket = socket
        self.partialLine = partialLine
        self.interest = interest
    }

    var unsent: Int { outgoing.count - sent }

    /// Queues the error line for too long a line, and discards the rest.
    func refuseLongLine() {
        partialLine.bytes = []
        outgoing += Array("error: line longer than 65536 bytes\n".utf8)
        closing = true
    }

    /// Sends what the kernel takes now; true once nothing is left to send.
    func flush() throws(SocketError) -> Bool {
        while sent < outgoing.count {
            let start = sent
            let result = outgoing.withUnsafeBytes { buffer in
                Result { () throws(SocketError) in try socket.send(UnsafeRawBufferPointer(rebasing: buffer[start...])) }
            }
            if case .failure(.wouldBlock) = result { return false }
            sent += try result.get()
        }
        outgoing.removeAll(keepingCapacity: true)
        sent = 0
        return true
    }
}

/// How a server turns the bytes one receive got into echoes: the reference's lines, with its
/// limit, its test for too long a line, and what a line becomes, as parameters.
func echoLines(limit: Int = 65536, tooLong: @escaping (_ count: Int, _ limit: Int) -> Bool = { $0 > $1 },
               line: @escaping ([UInt8]) -> [UInt8] = { $0 }) -> (EchoClient, ArraySlice<UInt8>) -> Void {
    { client, bytes in
        guard !client.closing else { return }
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            if tooLong(client.partialLine.bytes.count + (index - start), limit) { return client.refuseLongLine() }
            client.outgoing += line(client.partialLine.bytes + bytes[start...index])
            client.partialLine.bytes.removeAll(keepingCapacity: true)
            start = index + 1
        }
        client.partialLine.bytes += bytes[start...]
        if tooLong(client.partialLine.bytes.count, limit) { client.refuseLongLine() }
    }
}

/// Set by the flag-only signal handler (a C handler cannot capture context).
nonisolated(unsafe) private var stopRequested: sig_atomic_t = 0

/// A line echo server that is the reference's `SelectorEchoServer` (one thread, one selector,
/// non-blocking sockets, the self-pipe for SIGINT and SIGTERM) except for the hooks given.
final class MutantEchoServer {
    /// How SIGINT and SIGTERM stop it.
    enum Stopping {
        /// The reference's self-pipe (`StopSignals`), watched with the sockets.
        case selfPipe
        /// The self-pipe for SIGINT only: SIGTERM keeps its default action.
        case interruptOnly
        /// A handler that only sets a flag, which the loop checks each time a wait returns.
        case flagOnly
    }

    var stopping = Stopping.selfPipe
    /// Prints the first line.
    var announce: (UInt16) -> Void = { port in
        print("listening on 127.0.0.1:\(port)")
        fflush(cs_stdout())
    }
    var received: (EchoClient, ArraySlice<UInt8>) -> Void = echoLines()
    /// The bytes one receive asks for.
    var bufferSize = 65536
    /// What a client is watched for when its echo is all sent (the reference: `.readable`).
    var clientEvents: IOEvents = .readable
    /// The line buffer of each new client.
    var newLineBuffer: () -> LineBuffer = { LineBuffer() }
    /// Reads a readable client again and again, on a blocking socket, until its line ends.
    var readsWholeLines = false
    /// Leaves client sockets blocking, so an echo waits for as long as the client does not read.
    var blockingClients = false
    /// Past this many unsent bytes a client is not read until it reads (the reference: 1 MiB).
    var backlogLimit = 1 << 20
    /// The client that gets the lines a client sent.
    var echoTarget: (_ sender: EchoClient, _ lastAccepted: EchoClient?) -> EchoClient = { sender, _ in sender }
    /// What a failed receive or send does (the reference closes that client).
    var failing: (MutantEchoServer, EchoClient, any Error) throws -> Void = { server, client, _ in server.close(client) }
    /// Closes a client (the reference unregisters it first).
    var closing: (MutantEchoServer, EchoClient) -> Void = { server, client in
        try? server.selector.unregister(client.socket.descriptor)
        client.socket.close()
    }
    /// After the error line for too long a line: closes at once instead of ending its side and
    /// discarding the rest until the client closes.
    var closesAtOnceOnLongLine = false

    let selector: Networking.Selector
    private let listener: Networking.Socket
    private var stop: StopSignals?
    private var clients: [Int32: EchoClient] = [:]
    private var lastAccepted: EchoClient?

    init(_ mechanism: IOMechanism, port: UInt16) throws {
        selector = try Networking.Selector(mechanism)
        listener = try SocketFactory().tcp()
        try listener.setReuseAddress(true)
        try listener.bind(.loopback(port))
        try listener.listen(backlog: 1024)
        try listener.setBlocking(false)
    }

    /// Prints the first line and serves until it stops.
    func run() throws {
        switch stopping {
        case .selfPipe, .interruptOnly:
            let stop = try StopSignals()
            self.stop = stop
            try selector.register(stop.descriptor, for: .readable)
            if stopping == .interruptOnly { signal(SIGTERM, SIG_DFL) }
        case .flagOnly:
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in stopRequested = 1 }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            for signal in [SIGINT, SIGTERM] { sigaction(signal, &action, nil) }
        }
        try selector.register(listener.descriptor, for: .readable)
        announce(try listener.localAddress().port)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 1)
        defer {
            buffer.deallocate()
            for client in clients.values { close(client) }
            listener.close()
            selector.close()
        }
        while true {
            let events = try selector.wait(timeout: nil)
            if stopRequested != 0 { return }
            for ready in events {
                if ready.descriptor == stop?.descriptor { return }
                if ready.descriptor == listener.descriptor { try acceptWaitingClients() } else { try serve(ready, buffer) }
            }
        }
    }

    func close(_ client: EchoClient) {
        clients[client.socket.descriptor] = nil
        closing(self, client)
    }

    private func acceptWaitingClients() throws {
        while true {
            let socket: Networking.Socket
            do throws(SocketError) {
                socket = try listener.accept().0
            } catch .wouldBlock {
                return
            } catch .connectionReset {
                continue
            } catch {
                return  // EMFILE and the like: the client waits, the others are served
            }
            if !readsWholeLines && !blockingClients { try socket.setBlocking(false) }
            let client = EchoClient(socket, newLineBuffer(), clientEvents)
            do throws(SelectorError) {
                try selector.register(socket.descriptor, for: clientEvents)
                clients[socket.descriptor] = client
                lastAccepted = client
            } catch {
                socket.close()
            }
        }
    }

    private func serve(_ ready: ReadyDescriptor, _ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let client = clients[ready.descriptor] else { return }
        /// The client that gets the lines, and whose failure is handled.
        var target = client
        do {
            if ready.events.contains(.readable) || !ready.events.isDisjoint(with: IOEvents.alwaysReported) {
                repeat {
                    let count = try client.socket.receive(into: buffer)
                    if count == 0 { return close(client) }
                    received(client, UnsafeRawBufferPointer(rebasing: buffer[..<count]).withMemoryRebound(to: UInt8.self) { ArraySlice($0) })
                    target = echoTarget(client, lastAccepted)
                    if target !== client {
                        target.outgoing += client.outgoing
                        client.outgoing = []
                    }
                } while readsWholeLines && !client.partialLine.bytes.isEmpty && !client.closing
            }
            let drained = try target.flush()
            if drained && target.closing {
                if closesAtOnceOnLongLine { return close(target) }
                guard !target.endedWriting else { return }
                try target.socket.shutdown(.writing)
                target.endedWriting = true
            }
            let interest: IOEvents = drained ? clientEvents
                : target.unsent > backlogLimit ? .writable : clientEvents.union(.writable)
            if interest != target.interest {
                try selector.modify(target.socket.descriptor, for: interest)
                target.interest = interest
            }
        } catch SocketError.wouldBlock {
            return
        } catch {
            try failing(self, target, error)
        }
    }
}

/// A hand-written iterative server (course: 循环服务器模型): it accepts one client, serves it
/// until it leaves, then accepts the next. It waits with poll(2) for its client (or the listener)
/// and the self-pipe, so SIGINT and SIGTERM still stop it.
func runIterativeEchoServer(port: UInt16) throws {
    let stop = try StopSignals()
    let listener = try SocketFactory().tcp()
    try listener.setReuseAddress(true)
    try listener.bind(.loopback(port))
    try listener.listen(backlog: 1024)
    print("listening on 127.0.0.1:\(try listener.localAddress().port)")
    fflush(cs_stdout())
    /// Waits for `descriptor` to be readable; false once a stop signal came.
    func awaitReadable(_ descriptor: Int32) -> Bool {
        var entries = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: stop.descriptor, events: Int16(POLLIN), revents: 0)]
        while poll(&entries, 2, -1) < 0 {}
        return entries[1].revents == 0
    }
    let lines = echoLines()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while awaitReadable(listener.descriptor) {
        guard let socket = try? listener.accept().0 else { continue }
        let client = EchoClient(socket, LineBuffer(), .readable)
        do {
            while true {
                guard awaitReadable(socket.descriptor) else { return }
                let count = try buffer.withUnsafeMutableBytes { buffer throws(SocketError) in try socket.receive(into: buffer) }
                if count == 0 { break }
                lines(client, buffer[..<count])
                _ = try client.flush()
                if client.closing && !client.endedWriting {
                    try socket.shutdown(.writing)
                    client.endedWriting = true
                }
            }
        } catch {}
        socket.close()
    }
}

/// The models a selector mutant implements.
private let selectorModels: [ServerModel] = [.select, .poll, .epoll]

/// A mutant echo server: its name, its mistake, the rules that reject it, and how it runs.
private struct EchoServerMutant {
    let name: String
    let mistake: String
    let rejectedBy: [String: Outcome.Status]
    var models: [ServerModel] = selectorModels
    /// Serves on `port` of 127.0.0.1 until it stops, with a selector on the mechanism given (the
    /// iterative server has none).
    let run: (IOMechanism, UInt16) throws -> Void

    init(_ name: String, _ mistake: String, rejectedBy: [String: Outcome.Status], models: [ServerModel] = selectorModels,
         _ change: @escaping (MutantEchoServer) -> Void) {
        self.name = name
        self.mistake = mistake
        self.rejectedBy = rejectedBy
        self.models = models
        run = { mechanism, port in
            let server = try MutantEchoServer(mechanism, port: port)
            change(server)
            try server.run()
        }
    }

    init(_ name: String, _ mistake: String, rejectedBy: [String: Outcome.Status],
         serving run: @escaping (IOMechanism, UInt16) throws -> Void) {
        self.name = name
        self.mistake = mistake
        self.rejectedBy = rejectedBy
        self.run = run
    }
}

private var echoServerDesigns: [EchoServerMutant] {
    [
        EchoServerMutant("echo-unflushed-first-line", "prints the listening line without flushing stdout, a pipe, so the line stays in its buffer",
                         rejectedBy: ["ECHO-1": .timedOut, "ECHO-2": .timedOut, "ECHO-3": .timedOut, "ECHO-4": .timedOut,
                                      "ECHO-5": .timedOut]) { server in
            server.announce = { port in print("listening on 127.0.0.1:\(port)") }
        },
        EchoServerMutant("echo-chunk-is-a-line", "takes what each recv returns for one line: sends it back without its trailing \"\\n\", then \"\\n\"",
                         rejectedBy: ["ECHO-1": .fail, "ECHO-3": .fail, "ECHO-4": .fail]) { server in
            server.received = { client, bytes in
                client.outgoing += (bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes) + [UInt8(ascii: "\n")]
            }
        },
        EchoServerMutant("echo-first-line-of-a-chunk", "of each recv, echoes the first line and drops the lines after it",
                         rejectedBy: ["ECHO-1": .timedOut]) { server in
            let lines = echoLines()
            server.received = { client, bytes in
                let end = bytes.firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.endIndex
                lines(client, bytes[..<end])
            }
        },
        EchoServerMutant("echo-lines-as-text", "decodes each line as UTF-8 text and encodes it back, so bytes that are not UTF-8 come back as U+FFFD",
                         rejectedBy: ["ECHO-1": .fail]) { server in
            server.received = echoLines(line: { Array(String(decoding: $0, as: UTF8.self).utf8) })
        },
        EchoServerMutant("echo-iterative", "an iterative server: it serves one client until that client leaves, and only then accepts the next",
                         rejectedBy: ["ECHO-2": .timedOut, "ECHO-3": .timedOut, "ECHO-4": .timedOut],
                         serving: { _, port in try runIterativeEchoServer(port: port) }),
        EchoServerMutant("echo-to-last-accepted", "sends each echo to the client the accept loop accepted last, not to the client that sent the line",
                         rejectedBy: ["ECHO-2": .timedOut, "ECHO-3": .timedOut]) { server in
            server.echoTarget = { sender, lastAccepted in lastAccepted ?? sender }
        },
        EchoServerMutant("echo-reads-until-line-ends", "keeps reading a readable client, on a blocking socket, until its line ends, so a client silent mid-line stops the server",
                         rejectedBy: ["ECHO-3": .timedOut]) { server in
            server.readsWholeLines = true
        },
        EchoServerMutant("echo-one-partial-line", "keeps one partial-line buffer for the whole server, so an unfinished line is sent back with another client's",
                         rejectedBy: ["ECHO-3": .fail]) { server in
            let shared = LineBuffer()
            server.newLineBuffer = { shared }
        },
        EchoServerMutant("echo-exits-on-reset", "lets a failed receive end the server, so one client's reset stops it for everyone",
                         rejectedBy: ["ECHO-3": .fail]) { server in
            server.failing = { _, _, error in throw error }
        },
        EchoServerMutant("echo-close-without-unregister", "closes a client that left without unregistering it, so select fails with EBADF, and poll keeps the number its next client gets",
                         rejectedBy: ["ECHO-3": .fail], models: [.select, .poll]) { server in
            server.closing = { _, client in client.socket.close() }
        },
        EchoServerMutant("echo-no-line-limit", "has no line limit: a line of any length is kept and sent back",
                         rejectedBy: ["ECHO-4": .fail]) { server in
            server.received = echoLines(limit: .max)
        },
        EchoServerMutant("echo-line-limit-off-by-one", "refuses a line of 65536 bytes too: its test is >= where > is meant",
                         rejectedBy: ["ECHO-4": .fail]) { server in
            server.received = echoLines(tooLong: { $0 >= $1 })
        },
        EchoServerMutant("echo-long-line-closes-at-once", "closes a client at once after the error line, with the rest of its line unread, so the kernel resets the connection",
                         rejectedBy: ["ECHO-4": .fail]) { server in
            server.closesAtOnceOnLongLine = true
        },
        EchoServerMutant("echo-unbounded-backlog", "keeps reading a client whose echoes pile up unsent: a client that never reads makes it buffer without limit",
                         rejectedBy: ["ECHO-3": .fail]) { server in
            server.backlogLimit = .max
        },
        EchoServerMutant("echo-blocking-sends", "leaves client sockets blocking: an echo to a client that does not read blocks the whole server",
                         rejectedBy: ["ECHO-3": .timedOut]) { server in
            server.blockingClients = true
        },
        EchoServerMutant("epoll-edge-triggered-one-read", "watches clients edge-triggered but reads 1024 bytes once per event, so the rest of a long line waits for ever",
                         rejectedBy: ["ECHO-4": .timedOut], models: [.epoll]) { server in
            server.clientEvents = [.readable, .edgeTriggered]
            server.bufferSize = 1024
        },
        EchoServerMutant("echo-sigterm-default", "catches SIGINT only (Python's KeyboardInterrupt), so SIGTERM's default action kills the server",
                         rejectedBy: ["ECHO-5": .fail]) { server in
            server.stopping = .interruptOnly
        },
        EchoServerMutant("echo-stop-flag-only", "the signal handler only sets a flag, checked when a wait returns, but the wait resumes after a handler (PEP 475), so the server stops only when a client next sends",
                         rejectedBy: ["ECHO-5": .timedOut]) { server in
            server.stopping = .flagOnly
        },
    ]
}

/// The echo server mutants, each bound to the spec with its own server.
var echoServerMutants: [Mutant] {
    echoServerDesigns.map { design in
        Mutant(design.name, design.mistake, rejectedBy: design.rejectedBy,
               EchoServerSpec(MutantEchoServers(name: design.name, models: design.models)))
    }
}

/// `mutant-runner --echo-server NAME --model M --port N`: runs that mutant's server, exits 0 once it
/// stops, 1 when it fails.
func runEchoServerMutant(_ arguments: [String]) -> Never {
    func fail(_ message: String, code: Int32) -> Never {
        var line = "mutant-runner: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(code)
    }
    guard arguments.count == 5, arguments[1] == "--model", arguments[3] == "--port", let port = UInt16(arguments[4]) else {
        fail("usage: mutant-runner --echo-server NAME --model M --port N", code: 64)
    }
    do {
        if try runServerModelMutant(arguments[0], model: arguments[2], port: port) { exit(0) }
        guard let design = echoServerDesigns.first(where: { $0.name == arguments[0] }),
              let mechanism = IOMechanism(rawValue: arguments[2]) else {
            fail("no echo server mutant \(arguments[0]) on the \(arguments[2]) model", code: 64)
        }
        try design.run(mechanism, port)
    } catch {
        fail("\(error)", code: 1)
    }
    exit(0)
}
