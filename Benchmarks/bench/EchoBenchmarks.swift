import Conformance
import Foundation
import Glibc
import Grading

/// An echo server as the echo rows start it: a program that, given `--port 0`, prints
/// `listening on 127.0.0.1:PORT` first and serves until SIGTERM.
struct EchoServer {
    let name: String
    /// Found on PATH; the arguments come before `--port 0`.
    let program: String
    let arguments: [String]
}

/// One of the course's server models (day4 fork and thread servers, day5 epoll server, day6 gevent
/// server, asyncio): the
/// reference's `echo-server --model NAME` beside the same model written in C and in CPython.
struct EchoModel {
    let name: String
    /// How many idle clients the memory row holds: enough that their cost stands well above the
    /// page-sized noise of a server's memory, and no more than the model bears: 100 processes for
    /// fork, 1000 threads for thread (CPython's thread server, left by 10,000 clients at once, takes
    /// some 45 s to stop, its threads queueing for the GIL), 10,000 connections for epoll, for
    /// coroutine (a coroutine per connection) and for async (a task per connection).
    let idleClients: Int
    let peers: [EchoServer]
    /// The numbers of clients the round-trip rows load it with: 100 for every model, and 1,000 too
    /// for the one-thread models the course pits against threads (coroutine, async).
    var roundTripClients = [100]

    /// `echo-server --model NAME`, built next to this program (.build/release).
    var reference: EchoServer {
        EchoServer(name: "reference",
                   program: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
                       .appendingPathComponent("echo-server").path,
                   arguments: ["--model", name])
    }
}

/// The echo servers measured from outside, each started as its own process and loaded by
/// Benchmarks/peers/echo_load.c (built by `make bench` into .build/peers), which takes one core
/// while the server takes the other.
enum EchoBenchmarks {
    static let models = [
        EchoModel(name: "fork", idleClients: 100, peers: [
            EchoServer(name: "C fork", program: ".build/peers/echo_blocking", arguments: ["--model", "fork"]),
            EchoServer(name: "CPython fork_server", program: "python3.11", arguments: ["\(peerFolder)/fork_server.py"]),
        ]),
        EchoModel(name: "thread", idleClients: 1000, peers: [
            EchoServer(name: "C thread", program: ".build/peers/echo_blocking", arguments: ["--model", "thread"]),
            EchoServer(name: "CPython thread_server", program: "python3.11", arguments: ["\(peerFolder)/thread_server.py"]),
        ]),
        EchoModel(name: "epoll", idleClients: 10000, peers: [
            EchoServer(name: "C epoll", program: ".build/peers/echo_epoll", arguments: []),
            EchoServer(name: "CPython selectors", program: "python3.11", arguments: ["\(peerFolder)/echo_selectors.py"]),
        ]),
        EchoModel(name: "coroutine", idleClients: 10000, peers: [
            EchoServer(name: "gevent (CPython)", program: "python3.11", arguments: ["\(peerFolder)/gevent_server.py"]),
        ], roundTripClients: [100, 1000]),
        EchoModel(name: "async", idleClients: 10000, peers: [
            EchoServer(name: "CPython asyncio", program: "python3.11", arguments: ["\(peerFolder)/asyncio_server.py"]),
        ], roundTripClients: [100, 1000]),
    ]

    static let load = ".build/peers/echo_load"

    /// Round trips per second of each of `servers`, by name: `clients` clients, each sending a 64-byte
    /// line and waiting for its echo before the next. The servers take turns (`inTurns`), 5 rounds
    /// of 1 s each (after 0.5 s of warm-up).
    static func roundTripsInTurns(_ servers: [EchoServer], clients: Int) -> Figures {
        inTurns(servers.map(\.name), rounds: 5) { name in
            try roundTripsOnce(servers.first { $0.name == name }!, clients: clients, seconds: 1)
        }
    }

    /// One round: round trips per second over `seconds`, after 0.5 s of warm-up.
    private static func roundTripsOnce(_ server: EchoServer, clients: Int, seconds: Double) throws -> Double {
        let running = try RunningServer(server)
        defer { running.stop() }
        return try figure(printedBy: load, ["--port", "\(running.port)", "--clients", "\(clients)",
                                            "--seconds", "\(seconds)", "--warmup", "0.5", "--line-bytes", "64"])
    }

    /// The memory an idle client costs the server, in KiB per client: the proportional set size
    /// of the server and all its descendants (`ProcessTree.proportionalKiB`) before, and while
    /// echo_load holds `clients` connections open, each served one line. Summed over the tree, a
    /// page a forked child still shares with its parent counts once, not once per child; for one
    /// process it is the growth of its resident set. Memory the kernel keeps for a client (its
    /// socket, a process's page tables) is not counted. The median of 3 servers started afresh: a
    /// forked child's stack layout, random with each start, moves its cost by a page.
    static func idleMemory(_ server: EchoServer, clients: Int) throws -> Double {
        median(try (0..<3).map { _ in try idleMemoryOnce(server, clients: clients) })
    }

    private static func idleMemoryOnce(_ server: EchoServer, clients: Int) throws -> Double {
        let running = try RunningServer(server)
        defer { running.stop() }
        let before = ProcessTree.proportionalKiB(running.child.pid)
        let holder = try Child(load, ["--port", "\(running.port)", "--idle", "\(clients)"])
        defer { holder.stop() }
        guard let line = try holder.readLine(within: 120), line == "ready" else {
            throw BenchmarkError("echo_load --idle ended before its connections were ready")
        }
        let after = ProcessTree.proportionalKiB(running.child.pid)
        holder.closeInput() // echo_load closes its connections and exits
        guard holder.wait(within: 30) == 0 else { throw BenchmarkError("echo_load --idle failed") }
        return Double(after - before) / Double(clients)
    }
}

/// A process and its descendants, as /proc shows them.
enum ProcessTree {
    /// The proportional set size (PSS, the `Pss:` line of /proc/PID/smaps_rollup) of `pid` and all
    /// its descendants, summed, in KiB. PSS charges a page mapped by n processes 1/n to each. A
    /// process that ends meanwhile counts 0.
    static func proportionalKiB(_ pid: pid_t) -> Int {
        ([pid] + descendants(of: pid)).reduce(0) { total, member in
            guard let rollup = try? String(contentsOfFile: "/proc/\(member)/smaps_rollup", encoding: .utf8),
                  let line = rollup.split(separator: "\n").first(where: { $0.hasPrefix("Pss:") }),
                  let kiB = Int(line.split(whereSeparator: \.isWhitespace)[1]) // "Pss:    464 kB"
            else { return total }
            return total + kiB
        }
    }

    /// Every descendant of `pid`: the children each of its threads created
    /// (/proc/PID/task/TID/children), theirs, and so on.
    private static func descendants(of pid: pid_t) -> [pid_t] {
        var found: [pid_t] = []
        var parents = [pid]
        while let parent = parents.popLast() {
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(parent)/task")) ?? []
            for thread in threads {
                let children = (try? String(contentsOfFile: "/proc/\(parent)/task/\(thread)/children", encoding: .utf8)) ?? ""
                let pids = children.split(separator: " ").compactMap { pid_t($0) }
                found += pids
                parents += pids
            }
        }
        return found
    }
}

/// A server started with `--port 0`, and the port its first line named.
struct RunningServer {
    let child: Child
    let port: Int

    init(_ server: EchoServer) throws {
        // The processes a server leaves when it ends (a fork server's children) come to this
        // process, where `stop` finds them.
        Watching.becomeSubreaper()
        child = try Child(server.program, server.arguments + ["--port", "0"])
        let prefix = "listening on 127.0.0.1:"
        guard let line = try child.readLine(within: 10), line.hasPrefix(prefix), let port = Int(line.dropFirst(prefix.count)) else {
            child.stop()
            throw BenchmarkError("\(server.program) printed no \"\(prefix)PORT\" line")
        }
        self.port = port
    }

    /// SIGTERM, then reaped (SIGKILL after 10 s); a server that does not exit 0 is reported. The
    /// processes it leaves (its children, now this process's) get 5 s to end by themselves, and
    /// are reaped; any still running then is killed and reported. Call it once the server is the
    /// last child this process started, so every child left is the server's.
    func stop() {
        let status = child.stop()
        if status != 0 {
            let why = status.map { $0 & 0x7f == 0 ? "exit status \($0 >> 8)" : "signal \($0 & 0x7f)" } ?? "killed after 10 s"
            report("did not exit 0 on SIGTERM (\(why))")
        }
        let start = ContinuousClock.now
        while true {
            var leftover: Int32 = 0
            let reaped = waitpid(-1, &leftover, WNOHANG)
            if reaped < 0 { return } // ECHILD: every child is reaped
            if reaped > 0 { continue }
            if seconds(since: start) > 5 {
                report("ended, but \(Watching.killDescendants()) of its processes still ran 5 s later; killed them")
                return
            }
            usleep(2000)
        }
    }

    private func report(_ problem: String) {
        FileHandle.standardError.write(Data("bench: \(child.program) \(problem)\n".utf8))
    }
}

/// A program running beside this one, its stdin and stdout pipes to this process, its stderr
/// this process's. `stop` ends and reaps it; call it (with `defer`) whatever happens.
final class Child {
    let program: String
    let pid: pid_t
    private var input: Int32
    private let output: Int32
    private var unread: [UInt8] = []
    private var reaped = false

    init(_ program: String, _ arguments: [String]) throws {
        guard let path = Spawn.which(program), FileManager.default.isExecutableFile(atPath: path) else {
            throw Missing("\(program) not found")
        }
        self.program = program
        // Close-on-exec, so no other child holds them open: the child gets them as 0 and 1.
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0, pipe(&fromChild) == 0 else { throw BenchmarkError("pipe: errno \(errno)") }
        for end in toChild + fromChild { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        closeDescriptorsAboveStandard(&actions)
        // Default signal dispositions and an empty mask, whatever this process has set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let error = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard error == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw BenchmarkError("cannot start \(program): errno \(error)")
        }
        self.pid = pid
        input = toChild[1]
        output = fromChild[0]
    }

    deinit {
        stop()
        close(output)
    }

    /// The next line it prints, without "\n"; nil if it ends its stdout first. Throws when no
    /// line comes within `limit` seconds.
    func readLine(within limit: Double) throws -> String? {
        let start = ContinuousClock.now
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = unread.firstIndex(of: UInt8(ascii: "\n")) {
                defer { unread.removeFirst(end + 1) }
                return String(decoding: unread[..<end], as: UTF8.self)
            }
            let left = limit - seconds(since: start)
            guard left > 0 else { throw BenchmarkError("\(program) printed no line within \(limit) s") }
            var readable = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            guard poll(&readable, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let count = read(output, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return nil }
            unread += chunk[..<count]
        }
    }

    /// Closes its stdin: it reads the end.
    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// Waits up to `limit` seconds for it to end by itself, then reaps it; its wait status (0:
    /// exited 0), or nil if it is still running.
    func wait(within limit: Double) -> Int32? {
        let start = ContinuousClock.now
        while !reaped {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                reaped = true
                return status
            }
            if seconds(since: start) > limit { return nil }
            usleep(2000)
        }
        return nil
    }

    /// Sends SIGTERM, waits up to 10 s, then SIGKILL; reaped either way. Its wait status (0:
    /// exited 0), nil if it had to be killed or was reaped before.
    @discardableResult
    func stop() -> Int32? {
        closeInput()
        guard !reaped else { return nil }
        kill(pid, SIGTERM)
        if let status = wait(within: 10) { return status }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        reaped = true
        return nil
    }
}
