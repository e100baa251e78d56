import Conformance
import Glibc

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
    /// The thread model's sessions.
    private let threads = ClientThreads()

    /// Listens on 127.0.0.1:`port` (0: a free port), serving the folder `root`.
    public init(root: String, port: UInt16, configuration: Configuration = Configuration()) throws {
        guard let jail = FTPJail(root: root) else { throw FTPServerError.badRoot(root) }
        if configuration.model == .process { try ClientProcesses.install() }
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
            case .thread: threads.serve(client, name: "ftp client \(client.descriptor)") { [self] in session(client).run() }
            case .process: ClientProcesses.serve(client, listener: listener) { session(client).run() }
            }
        }
        StopByShutdown.watch(listener: nil, client: nil)
        switch configuration.model {
        case .thread: threads.stopAll()
        case .process: ClientProcesses.stopAll()
        }
        listener.close()
    }

    private func session(_ client: Socket) -> FTPSession {
        let (result, peer) = fillingSocketAddress { getpeername(client.descriptor, $0, $1) }
        let host = result == 0 ? SocketAddress(peer).host : "127.0.0.1"
        return FTPSession(client, clientHost: host, jail: jail, configuration: configuration)
    }

    private func sessionCount() -> Int {
        switch configuration.model {
        case .thread: threads.count
        case .process: ClientProcesses.count
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
