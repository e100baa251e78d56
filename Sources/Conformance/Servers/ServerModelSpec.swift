import Glibc

/// The checks of SERVER-1 ... SERVER-7: each server model's defining property, observed from
/// outside on the running server (its connections, its threads and child processes in /proc).
public struct ServerModelSpec<Implementation: EchoServerAPI>: Spec {
    public static var concept: String { "server-models" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("SERVER-1", loopServesOneClientAtATime),
            Check("SERVER-2", udpAnswersEachDatagramToItsSender),
            Check("SERVER-3", forkServesEachClientInItsOwnProcess),
            Check("SERVER-4", forkLeavesNoZombies),
            Check("SERVER-5", threadServesEachClientInItsOwnThread),
            Check("SERVER-6", { try thousandClientsOnOneThread(.coroutine) }),
            Check("SERVER-7", { try thousandClientsOnOneThread(.async) }),
        ]
    }

    /// SERVER-1: while a first client stays connected, a second one's line stays unanswered
    /// (checked once the server and everything it runs sleep, 3 looks in a row); it comes back
    /// once the first leaves. A client that resets in the middle of a line does not stop the
    /// server from serving the next.
    func loopServesOneClientAtATime() throws {
        try implementation.require(.loop)
        let server = try implementation.start(.loop)
        let first = try LoopbackSocket.connected(to: server.port)
        try first.send(Array("first\n".utf8))
        try expectEcho(first, "first\n", "loop: the first client")
        let second = try LoopbackSocket.connected(to: server.port)
        try second.send(Array("second\n".utf8))
        awaitAsleep(server, "loop: waiting for the server to sleep, the second client's line sent")
        try expectTrue(!second.await(POLLIN, seconds: 0),
                       "loop: a second client was answered while the first was still connected (that is a concurrent server)")
        first.close()
        try expectEcho(second, "second\n", "loop: the second client, once the first left")
        second.close()
        let vanishing = try LoopbackSocket.connected(to: server.port)
        try vanishing.send(Array("partial".utf8))
        vanishing.reset()
        let next = try LoopbackSocket.connected(to: server.port)
        try next.send(Array("next\n".utf8))
        try expectEcho(next, "next\n", "loop: a client after one that reset mid-line")
    }

    /// SERVER-2: three clients each send datagrams (empty, every byte value, their own text) in
    /// turn with the others, and each gets exactly its own back from the server's port; then a
    /// datagram of 65507 bytes, the most IPv4 carries, comes back whole.
    func udpAnswersEachDatagramToItsSender() throws {
        try implementation.require(.udp)
        let server = try implementation.start(.udp)
        let clients = try (0..<3).map { _ in try LoopbackSocket.udp() }
        let everyByte = (0...255).map(UInt8.init)
        for round in 0..<3 {
            let datagrams = clients.indices.map { index in
                [[], everyByte, Array("client \(index) datagram \(round)".utf8)][round]
            }
            for (client, datagram) in zip(clients, datagrams) { try client.send(datagram, toPort: server.port) }
            for (index, (client, datagram)) in zip(clients, datagrams).enumerated() {
                let what = "udp: client \(index)'s datagram of \(datagram.count) bytes"
                let (echo, port) = try client.receiveDatagram(within: 10, what)
                try expectTrue(echo == datagram, "\(what) came back as \(echo.count) other bytes")
                try expectEqual(port, server.port, "\(what): the port the answer came from")
            }
        }
        let largest = (0..<65507).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try clients[0].send(largest, toPort: server.port)
        let (echo, _) = try clients[0].receiveDatagram(within: 10, "udp: a datagram of 65507 bytes")
        try expectTrue(echo == largest, "udp: a datagram of 65507 bytes came back as \(echo.count) other bytes")
    }

    /// SERVER-3: with 5 clients connected and echoed, once the server and its children sleep, each
    /// client's connection (its server-side socket, found by port in /proc/net/tcp) is held by
    /// exactly one process: a child of the server, a different one for each client, and never the
    /// server itself.
    func forkServesEachClientInItsOwnProcess() throws {
        try implementation.require(.fork)
        let server = try implementation.start(.fork)
        let clients = try (0..<5).map { _ in try LoopbackSocket.connected(to: server.port) }
        for (index, client) in clients.enumerated() {
            try client.send(Array("client \(index)\n".utf8))
            try expectEcho(client, "client \(index)\n", "fork: client \(index)")
        }
        // The parent closes its copy after the fork: once everything sleeps, it has.
        awaitAsleep(server, "fork: waiting for the server and its children to sleep")
        let processes = [server.pid] + ProcFS.children(of: server.pid)
        var holders: Set<pid_t> = []
        let inodes = ProcFS.tcpSocketInodes(localPort: server.port)
        for (index, client) in clients.enumerated() {
            guard let inode = inodes[try client.port()] else {
                throw CheckFailure("fork: client \(index)'s connection is not in /proc/net/tcp")
            }
            let holding = processes.filter { ProcFS.socketInodes(of: $0).contains(inode) }
            try expectTrue(!holding.contains(server.pid),
                           "fork: the server itself still holds client \(index)'s connection (the parent must close its copy)")
            try expectEqual(holding.count, 1, "fork: how many child processes hold client \(index)'s connection")
            holders.insert(holding[0])
        }
        try expectEqual(holders.count, 5, "fork: how many different child processes hold the 5 clients' connections")
    }

    /// SERVER-4: 200 clients come and go one after another, each echoed; then the fork server
    /// must come to have no child process at all. A zombie child while the server and its
    /// children all sleep (3 looks in a row) fails at once: its SIGCHLD would have woken a server
    /// that reaps.
    func forkLeavesNoZombies() throws {
        try implementation.require(.fork)
        let server = try implementation.start(.fork)
        step("fork: 200 clients come and go")
        for index in 0..<200 {
            let client = try LoopbackSocket.connected(to: server.port)
            try client.send(Array("client \(index)\n".utf8))
            try expectEcho(client, "client \(index)\n", "fork: client \(index) of 200")
        }
        step("fork: waiting for the children of the 200 clients to be gone")
        var calm = 0
        while case let children = ProcFS.children(of: server.pid), !children.isEmpty {
            let zombies = children.filter { ProcFS.stat($0)?.state == "Z" }.count
            calm = zombies > 0 && ProcFS.isAsleep(withChildren: server.pid) ? calm + 1 : 0
            try expectTrue(calm < 3, "fork: after 200 clients left, the server sleeps with \(zombies) zombie children it does not reap")
            usleep(1000)
        }
    }

    /// SERVER-5: with 1, 2 ... 5 clients connected and echoed, the thread server has 1, 2 ... 5
    /// threads more than before the first came, and no child process; once they left it comes to
    /// have as many threads as before: more while it sleeps (3 looks in a row) fails at once.
    func threadServesEachClientInItsOwnThread() throws {
        try implementation.require(.thread)
        let server = try implementation.start(.thread)
        let before = ProcFS.threads(of: server.pid).count
        var clients: [LoopbackSocket] = []
        for count in 1...5 {
            let client = try LoopbackSocket.connected(to: server.port)
            try client.send(Array("client \(count)\n".utf8))
            try expectEcho(client, "client \(count)\n", "thread: client \(count)")
            clients.append(client)
            try expectEqual(ProcFS.threads(of: server.pid).count, before + count,
                            "thread: the server's threads with \(count) of 5 clients connected (\(before) before the first)")
            try expectEqual(ProcFS.children(of: server.pid), [], "thread: the server's child processes")
        }
        clients.removeAll()
        step("thread: waiting for the clients' threads to end")
        var calm = 0
        while case let count = ProcFS.threads(of: server.pid).count, count != before {
            calm = ProcFS.isAsleep(withChildren: server.pid) ? calm + 1 : 0
            try expectTrue(calm < 3, "thread: every client left, and the server sleeps with \(count) threads, \(before) before the first came")
            usleep(1000)
        }
    }

    /// SERVER-6 (coroutine) and SERVER-7 (async): 1,000 clients connect, all before any sends; each
    /// sends its line, then each reads its echo; meanwhile the server has one thread and no child
    /// process. The check raises its own RLIMIT_NOFILE to the hard limit (the server inherits it);
    /// a hard limit under 1,100 descriptors is unsupported.
    func thousandClientsOnOneThread(_ model: ServerModel) throws {
        try implementation.require(model)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_max >= 1100 else {
            throw Unsupported("1,000 clients need 1,100 descriptors, and RLIMIT_NOFILE's hard limit is \(limit.rlim_max)")
        }
        limit.rlim_cur = limit.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        let server = try implementation.start(model)
        step("\(model): connecting 1,000 clients")
        var clients: [LoopbackSocket] = []
        // Reset, not closed: 1,000 closed connections would linger in TIME_WAIT for a minute, and
        // every check that reads /proc/net/tcp meanwhile would read them all.
        defer { for client in clients { client.reset() } }
        for _ in 0..<1000 { clients.append(try LoopbackSocket.connected(to: server.port)) }
        step("\(model): each of the 1,000 clients sends its line")
        for (index, client) in clients.enumerated() { try client.send(Array("client \(index)\n".utf8)) }
        for (index, client) in clients.enumerated() {
            try expectEcho(client, "client \(index)\n", "\(model): client \(index) of 1,000, all connected")
        }
        try expectEqual(ProcFS.threads(of: server.pid).count, 1, "\(model): the server's threads with 1,000 clients connected")
        try expectEqual(ProcFS.children(of: server.pid), [], "\(model): the server's child processes")
    }
}
