import CSystem
import Conformance
import Glibc
import Networking
import Threading

/// Echo servers on the blocking models (loop, udp, fork, thread; and the thread server under the coroutine and async models' names), each with one mistake, run by
/// `mutant-runner --echo-server NAME --model M --port 0` as the selector mutants are.
private struct ServerModelMutant {
    let name: String
    let mistake: String
    let rejectedBy: [String: Outcome.Status]
    /// The one model it claims to implement.
    let model: ServerModel
    /// Prints the first line and serves on `port` until it stops.
    let run: (UInt16) throws -> Void

    init(_ name: String, _ mistake: String, rejectedBy: [String: Outcome.Status], model: ServerModel,
         _ run: @escaping (UInt16) throws -> Void) {
        self.name = name
        self.mistake = mistake
        self.rejectedBy = rejectedBy
        self.model = model
        self.run = run
    }
}

/// Echoes `client` until it leaves, with a buffer of its own.
private func serve(_ client: Networking.Socket) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
    defer { buffer.deallocate() }
    BlockingEcho.serve(client, buffer: buffer)
}

private func announce(_ port: UInt16) {
    print("listening on 127.0.0.1:\(port)")
    fflush(cs_stdout())
}

private var serverModelDesigns: [ServerModelMutant] {
    [
        ServerModelMutant("echo-loop-serves-concurrently", "is the thread server under the loop model's name: a second client is served while the first is connected",
                          rejectedBy: ["SERVER-1": .fail], model: .loop) { port in
            let server = try ThreadEchoServer(port: port)
            announce(server.port)
            server.serve()
        },
        ServerModelMutant("echo-loop-stop-flag-only", "its SIGTERM handler only sets a flag, so a server blocked in recv on a connected client never notices it",
                          rejectedBy: ["ECHO-5": .timedOut], model: .loop) { port in
            try MutantLoopServer(port: port).run()
        },
        ServerModelMutant("echo-loop-ends-on-reset", "lets a client's reset end the server, as an uncaught ConnectionResetError ends the course's loop server",
                          rejectedBy: ["SERVER-1": .fail], model: .loop) { port in
            let listener = try BlockingEcho.listener(port: port)
            announce(try listener.localAddress().port)
            while let client = BlockingEcho.accept(listener) {
                while case let bytes = try client.receive(maximum: 65536), !bytes.isEmpty { try client.sendAll(bytes) }
                client.close()
            }
        },
        ServerModelMutant("echo-udp-receives-1024", "receives with recvfrom(1024), as the course's examples do, so a longer datagram is cut",
                          rejectedBy: ["SERVER-2": .fail], model: .udp) { port in
            try runMutantUDPServer(port: port, receiving: 1024, answerFromNewSocket: false)
        },
        ServerModelMutant("echo-udp-answers-from-new-socket", "sends each answer from a new socket, so it comes from another port than the one the client sent to",
                          rejectedBy: ["SERVER-2": .fail], model: .udp) { port in
            try runMutantUDPServer(port: port, receiving: 65507, answerFromNewSocket: true)
        },
        ServerModelMutant("echo-fork-parent-keeps-client", "the parent does not close its copy of the client's socket after the fork",
                          rejectedBy: ["SERVER-3": .fail], model: .fork) { port in
            let server = try MutantForkServer(port: port)
            server.parentClosesClient = false
            try server.run()
        },
        ServerModelMutant("echo-fork-never-reaps", "never waits for its children: each one that ends stays a zombie",
                          rejectedBy: ["SERVER-4": .fail], model: .fork) { port in
            let server = try MutantForkServer(port: port)
            server.reaping = .never
            try server.run()
        },
        ServerModelMutant("echo-fork-reaps-after-accept", "reaps ended children with waitpid(WNOHANG) only after each accept, so the last client's child stays a zombie",
                          rejectedBy: ["SERVER-4": .fail], model: .fork) { port in
            let server = try MutantForkServer(port: port)
            server.reaping = .afterAccept
            try server.run()
        },
        ServerModelMutant("echo-fork-orphans-children", "exits on SIGTERM without stopping its children, which serve on as orphans",
                          rejectedBy: ["ECHO-5": .fail], model: .fork) { port in
            let server = try MutantForkServer(port: port)
            server.stopsChildren = false
            try server.run()
        },
        ServerModelMutant("echo-thread-is-fork", "is the fork server under the thread model's name: a process per client, not a thread",
                          rejectedBy: ["SERVER-5": .fail], model: .thread) { port in
            let server = try ForkEchoServer(port: port)
            announce(server.port)
            server.serve()
        },
        ServerModelMutant("echo-thread-pool-of-4", "serves clients from a pool of 4 threads started at once: no thread per client, and a fifth client waits",
                          rejectedBy: ["SERVER-5": .fail], model: .thread) { port in
            let server = try MutantThreadServer(port: port)
            server.pool = 4
            try server.run()
        },
        ServerModelMutant("echo-thread-never-ends", "a client's thread, once its client left, waits for ever instead of ending",
                          rejectedBy: ["SERVER-5": .fail], model: .thread) { port in
            let server = try MutantThreadServer(port: port)
            server.threadsEnd = false
            try server.run()
        },
        ServerModelMutant("echo-coroutine-is-thread", "is the thread server under the coroutine model's name: a thread per client, not a coroutine",
                          rejectedBy: ["SERVER-6": .fail], model: .coroutine) { port in
            let server = try ThreadEchoServer(port: port)
            announce(server.port)
            server.serve()
        },
        ServerModelMutant("echo-async-is-thread", "is the thread server under the async model's name: a thread per client, not a task on one thread",
                          rejectedBy: ["SERVER-7": .fail], model: .async) { port in
            let server = try ThreadEchoServer(port: port)
            announce(server.port)
            server.serve()
        },
        ServerModelMutant("echo-thread-joins-without-waking", "on SIGTERM joins the client threads without shutting their sockets down, so it waits for ever on a connected client",
                          rejectedBy: ["ECHO-5": .timedOut], model: .thread) { port in
            let server = try MutantThreadServer(port: port)
            server.wakesThreads = false
            try server.run()
        },
    ]
}

/// The server model mutants, each bound to the spec of the rules that reject it.
var serverModelMutants: [Mutant] {
    serverModelDesigns.map { design in
        let servers = MutantEchoServers(name: design.name, models: [design.model])
        let echo = design.rejectedBy.keys.allSatisfy { $0.hasPrefix("ECHO-") }
        return Mutant(design.name, design.mistake, rejectedBy: design.rejectedBy,
                      echo ? EchoServerSpec(servers) : ServerModelSpec(servers))
    }
}

/// Runs the server model mutant `name` on `port`; false when there is no such mutant.
func runServerModelMutant(_ name: String, model: String, port: UInt16) throws -> Bool {
    guard let design = serverModelDesigns.first(where: { $0.name == name && $0.model.rawValue == model }) else { return false }
    try design.run(port)
    return true
}

/// Set by the flag-only handler (a C handler cannot capture context).
nonisolated(unsafe) private var stopFlag: sig_atomic_t = 0

/// The loop server with a stop handler that only sets a flag, checked between clients.
private final class MutantLoopServer {
    private let listener: Networking.Socket

    init(port: UInt16) throws {
        listener = try BlockingEcho.listener(port: port)
    }

    func run() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in stopFlag = 1 }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        for signal in [SIGINT, SIGTERM] { sigaction(signal, &action, nil) }
        announce(try listener.localAddress().port)
        while stopFlag == 0, let client = try? listener.accept().0 {
            serve(client)
            client.close()
        }
    }
}

/// The UDP server receiving at most `receiving` bytes, and answering from its own socket or a new one.
private func runMutantUDPServer(port: UInt16, receiving: Int, answerFromNewSocket: Bool) throws {
    try StopByShutdown.install()
    let socket = try SocketFactory().udp()
    try socket.bind(.loopback(port))
    announce(try socket.localAddress().port)
    StopByShutdown.watch(listener: socket, client: nil)
    while !StopByShutdown.requested {
        guard let (datagram, sender) = try? socket.receiveFrom(maximum: receiving) else { continue }
        if datagram.isEmpty && StopByShutdown.requested { break }
        let answering = answerFromNewSocket ? try SocketFactory().udp() : socket
        _ = try? answering.send(datagram, to: sender)
    }
}

/// The reference's fork server (`ForkEchoServer`) with hooks.
private final class MutantForkServer {
    enum Reaping {
        /// The reference: a SIGCHLD handler reaps each child as it ends.
        case handler
        /// waitpid(-1, WNOHANG) until none, after each accept.
        case afterAccept
        case never
    }

    var parentClosesClient = true
    var reaping = Reaping.handler
    /// On a stop, SIGTERM to each child and wait for it (the reference), or just exit.
    var stopsChildren = true
    private let listener: Networking.Socket

    init(port: UInt16) throws {
        listener = try BlockingEcho.listener(port: port)
    }

    func run() throws {
        if reaping == .handler { _ = cs_children_install() }
        announce(try listener.localAddress().port)
        StopByShutdown.watch(listener: listener, client: nil)
        var clients: [Networking.Socket] = []
        while let client = BlockingEcho.accept(listener) {
            if reaping == .afterAccept { while waitpid(-1, nil, WNOHANG) > 0 {} }
            var blocked = sigset_t(), previous = sigset_t()
            sigemptyset(&blocked)
            for signal in [SIGINT, SIGTERM, SIGCHLD] { sigaddset(&blocked, signal) }
            sigprocmask(SIG_BLOCK, &blocked, &previous)
            let pid = fork()
            if pid == 0 {
                signal(SIGCHLD, SIG_DFL)
                listener.close()
                StopByShutdown.watch(listener: nil, client: client)
                sigprocmask(SIG_SETMASK, &previous, nil)
                serve(client)
                _exit(0)
            }
            if pid > 0 { _ = cs_children_add(pid) }
            sigprocmask(SIG_SETMASK, &previous, nil)
            if parentClosesClient { client.close() } else { clients.append(client) }
        }
        guard stopsChildren else { return }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGCHLD)
        sigprocmask(SIG_BLOCK, &blocked, nil)
        let children = (0..<cs_children_count()).map { cs_children_at($0) }
        for child in children { kill(child, SIGTERM) }
        for child in children { waitpid(child, nil, 0) }
    }
}

/// The reference's thread server (`ThreadEchoServer`) with hooks.
private final class MutantThreadServer {
    /// Serve from this many threads started at once, instead of a thread per client.
    var pool: Int?
    /// Whether a client's thread ends once its client left.
    var threadsEnd = true
    /// On a stop, shut the clients' sockets down before joining their threads (the reference).
    var wakesThreads = true
    private let listener: Networking.Socket
    private let lock = Threading.Lock()
    private var serving: [ObjectIdentifier: (client: Networking.Socket, thread: Threading.Thread)] = [:]
    /// The clients accepted and not yet taken by a pool thread.
    private var waiting: [Networking.Socket] = []
    private let arrived = Threading.Event()

    init(port: UInt16) throws {
        listener = try BlockingEcho.listener(port: port)
    }

    func run() throws {
        announce(try listener.localAddress().port)
        StopByShutdown.watch(listener: listener, client: nil)
        if let pool {
            for _ in 0..<pool { try Threading.Thread(daemon: true) { [self] in servePool() }.start() }
        }
        while let client = BlockingEcho.accept(listener) {
            if pool != nil {
                lock.withLock { waiting.append(client) }
                arrived.set()
                continue
            }
            let key = ObjectIdentifier(client)
            let thread = Threading.Thread(daemon: true) { [self] in
                serve(client)
                if !threadsEnd { _ = Threading.Event().wait(timeout: nil) }
                lock.withLock {
                    serving[key] = nil
                    client.close()
                }
            }
            lock.withLock { serving[key] = (client, thread) }
            try thread.start()
        }
        let threads = lock.withLock {
            if wakesThreads { for (client, _) in serving.values { try? client.shutdown(.both) } }
            return serving.values.map(\.thread)
        }
        for thread in threads { try? thread.join() }
    }

    private func servePool() {
        while true {
            _ = arrived.wait(timeout: nil)
            let client: Networking.Socket? = lock.withLock {
                if waiting.isEmpty { arrived.clear(); return nil }
                return waiting.removeFirst()
            }
            guard let client else { continue }
            serve(client)
            client.close()
        }
    }
}
