import CSystem
import Conformance
import Glibc
import Threading

/// The course's FTP file server (ftp 文件服务器, day5/ftp): several clients at once list, download
/// and upload the files of one folder. It speaks real FTP (`FTPSession`), so standard clients (curl,
/// Python's ftplib) work with it, and keeps the course's lesson on concurrency: each client is
/// served by a thread of its own or by a process of its own (`Model`), as the course's
/// thread_server and fork_server.
///
/// Past `maxClients` a new client is answered 421 and closed. SIGINT or SIGTERM stops accepting,
/// ends every session (a transfer under way finishes first) and returns.
public final class FTPServer {
    /// How clients are served at once.
    public enum Model: String, Sendable, CaseIterable {
        /// A thread per client, as the course's thread_server.
        case thread
        /// A child process per client, as the course's fork_server (children reaped as they end).
        case process
    }

    public struct Configuration: Sendable {
        public var model = Model.thread
        /// Anonymous logins (`anonymous` or `ftp`, any password).
        public var allowsAnonymous = true
        /// Named users and their passwords.
        public var users: [String: String] = [:]
        public var maxClients = 100
        public var maxUploadBytes = 1 << 30
        /// How long a control connection may wait without a command.
        public var idleSeconds = 300.0
        /// How long a data connection may take to come, and to make progress.
        public var dataSeconds = 30.0

        public init() {}
    }

    public let port: UInt16
    public let configuration: Configuration
    private let jail: FTPJail
    private let listener: Socket
    private let lock = Lock()
    /// The thread model's sessions: their control sockets and threads.
    private var serving: [ObjectIdentifier: (client: Socket, thread: Thread)] = [:]

    /// Listens on 127.0.0.1:`port` (0: a free port), serving the folder `root`.
    public init(root: String, port: UInt16, configuration: Configuration = Configuration()) throws {
        guard let jail = FTPJail(root: root) else { throw FTPServerError.badRoot(root) }
        if configuration.model == .process, cs_children_install() != 0 {
            throw SocketError.system(call: "sigaction(SIGCHLD)", errno: .current)
        }
        self.jail = jail
        self.configuration = configuration
        listener = try BlockingEcho.listener(port: port)
        self.port = try listener.localAddress().port
    }

    /// Accepts clients until SIGINT or SIGTERM, then stops the sessions and returns.
    public func serve() {
        StopByShutdown.watch(listener: listener, client: nil)
        while let client = BlockingEcho.accept(listener) {
            if StopByShutdown.requested {
                client.close()
                break
            }
            guard sessionCount() < configuration.maxClients else {
                _ = try? client.sendAll(Array("421 Too many clients (\(configuration.maxClients)): try again later\r\n".utf8))
                client.close()
                continue
            }
            switch configuration.model {
            case .thread: serveInAThread(client)
            case .process: serveInAChild(client)
            }
        }
        StopByShutdown.watch(listener: nil, client: nil)
        switch configuration.model {
        case .thread: stopThreads()
        case .process: stopChildren()
        }
        listener.close()
    }

    private func session(_ client: Socket) -> FTPSession {
        let host = (try? peerHost(client)) ?? "127.0.0.1"
        return FTPSession(client, clientHost: host, jail: jail, configuration: configuration)
    }

    private func peerHost(_ client: Socket) throws(SocketError) -> String {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(client.descriptor, $0, &length) }
        }
        guard result == 0 else { throw .system(call: "getpeername", errno: .current) }
        return SocketAddress(address).host
    }

    private func sessionCount() -> Int {
        switch configuration.model {
        case .thread: return lock.withLock { serving.count }
        case .process:
            var blocked = sigset_t(), previous = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGCHLD)
            sigprocmask(SIG_BLOCK, &blocked, &previous)
            defer { sigprocmask(SIG_SETMASK, &previous, nil) }
            return Int(cs_children_count())
        }
    }

    // MARK: A thread per client

    private func serveInAThread(_ client: Socket) {
        let key = ObjectIdentifier(client)
        let session = session(client)
        let thread = Thread(name: "ftp client \(client.descriptor)", daemon: true) { [self] in
            session.run()
            lock.withLock {
                serving[key] = nil
                client.close()
            }
        }
        lock.withLock { serving[key] = (client, thread) }
        do throws(ThreadError) {
            try thread.start()
        } catch {
            BlockingEcho.log("cannot start a thread (\(error)); the client is turned away")
            lock.withLock { serving[key] = nil }
            client.close()
        }
    }

    /// Shuts down every session's control connection, which ends its wait for a command, and
    /// waits for each thread.
    private func stopThreads() {
        let threads = lock.withLock {
            for (client, _) in serving.values { try? client.shutdown(.both) }
            return serving.values.map(\.thread)
        }
        for thread in threads { try? thread.join() }
    }

    // MARK: A process per client

    /// As `ForkEchoServer`: forks with SIGINT, SIGTERM and SIGCHLD blocked; the child watches its
    /// control connection for a stop and exits when its session ends.
    private func serveInAChild(_ client: Socket) {
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
            if !StopByShutdown.requested { session(client).run() }
            client.close()
            _exit(0)
        }
        if pid < 0 {
            BlockingEcho.log("fork failed: \(Errno.current); the client is turned away")
        } else if cs_children_add(pid) != 0 {
            kill(pid, SIGTERM)
        }
        sigprocmask(SIG_SETMASK, &previous, nil)
        client.close()
    }

    /// SIGTERM to every live child (each ends its session), then waits for each.
    private func stopChildren() {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGCHLD)
        sigprocmask(SIG_BLOCK, &blocked, nil)
        let children = (0..<cs_children_count()).map { cs_children_at($0) }
        for child in children { kill(child, SIGTERM) }
        for child in children {
            while waitpid(child, nil, 0) < 0 && errno == EINTR {}
        }
    }
}

/// Why the FTP server cannot start.
public enum FTPServerError: Error, CustomStringConvertible {
    case badRoot(String)

    public var description: String {
        switch self {
        case .badRoot(let folder): "cannot serve \(folder): not a folder that can be read"
        }
    }
}
