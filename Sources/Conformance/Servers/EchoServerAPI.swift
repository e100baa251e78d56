/// How a server is built around its clients (course: 并发网络通信模型).
public enum ServerModel: String, CaseIterable, Sendable, CustomStringConvertible {
    /// 循环服务器模型: one thread, blocking calls, one client after another.
    case loop
    /// The iterative UDP server: one socket answers every datagram in turn.
    case udp
    /// 基于fork的多进程网络并发模型: a child process for each client (day4 fork_server.py).
    case fork
    /// 基于threading的多线程网络并发: a thread for each client (day4 thread_server.py).
    case thread
    /// One thread, a select(2) selector (IO并发模型, day5 select_server.py).
    case select
    /// One thread, a poll(2) selector (poll_server.py).
    case poll
    /// One thread, an epoll(7) selector (epoll_server.py).
    case epoll
    /// One thread, a coroutine per client on a gevent-style hub (协程, day6 gevent_server.py).
    case coroutine
    /// One thread, a Swift task per client on a single-threaded executor (asyncio, async/await).
    case async

    /// Whether it speaks TCP (every model but udp): lines over connections.
    public var isStream: Bool { self != .udp }

    /// Whether it serves many connected clients at once (not the loop and udp models).
    public var isConcurrent: Bool { self != .loop && self != .udp }

    public var description: String { rawValue }
}

/// A command line that starts a server.
public struct ServerCommand: Sendable, CustomStringConvertible {
    public let executable: String
    public let arguments: [String]

    public init(_ executable: String, _ arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    public var description: String { ([executable] + arguments).joined(separator: " ") }

    /// The program `name` built next to the running executable (the rule runners, the mutant
    /// runner and the servers are built into one folder: `.build/debug/echo-server` beside
    /// `.build/debug/reference-runner`), with `arguments`.
    public static func sibling(_ name: String, _ arguments: [String]) -> ServerCommand {
        let me = CommandLine.arguments[0]
        let folder = me.contains("/") ? String(me[..<me.lastIndex(of: "/")!]) : "."
        return ServerCommand(folder + "/" + name, arguments)
    }
}

/// The line echo server, on each model it implements: a black box the spec starts as a process
/// and talks to with real clients on 127.0.0.1 (course: 并发网络通信模型, day4 fork_server.py and
/// thread_server.py, day5 select_server.py, poll_server.py, epoll_server.py).
///
/// Rules ECHO-1 ... ECHO-5 and SERVER-1 ... SERVER-5 in RULES.md; the reference is
/// `echo-server --model M --port N`.
/// The protocol: the server prints `listening on 127.0.0.1:PORT` as its first stdout line, then
/// sends back each line (bytes up to "\n") a client sends, unchanged; a line longer than 65536
/// bytes gets `error: line longer than 65536 bytes` and the connection is closed; SIGINT and
/// SIGTERM end it with status 0. The udp model sends each datagram back to its sender instead.
public protocol EchoServerAPI {
    /// The models it implements.
    var models: [ServerModel] { get }
    /// The command that starts `model` on a free port (`--port 0`).
    func command(_ model: ServerModel) -> ServerCommand
}
