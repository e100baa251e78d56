/// How the spec starts an HTTP server: the folder it serves and the limits a rule sets.
public struct HTTPServerOptions: Sendable, Equatable {
    /// The folder served (`--root`).
    public var root: String
    /// Seconds a request may take to arrive whole from its first byte (`--request-seconds`).
    public var requestSeconds: Double = 10
    /// Connections served at once; one more is answered 503 (`--max-connections`).
    public var maxConnections: Int = 1024

    public init(root: String) { self.root = root }

    /// The options as the reference's command line takes them, after `--port 0`.
    public var arguments: [String] {
        ["--root", root, "--port", "0", "--request-seconds", "\(requestSeconds)", "--max-connections", "\(maxConnections)"]
    }
}

/// The course's HTTPServer v2.0 (day6 http_server.py): an HTTP/1.1 server with IO concurrency and a
/// class interface, a black box the spec starts as a process and speaks raw HTTP to on 127.0.0.1.
///
/// Rules HTTP-1 ... HTTP-21 in RULES.md; the reference is `http-server --root DIR --port N
/// [--request-seconds S] [--max-connections N]` on the epoll selector.
/// The protocol: the server prints `listening on 127.0.0.1:PORT` as its first stdout line (port 0
/// picks a free one), serves the folder `root` (GET and HEAD), answers `/api/echo` (GET and POST)
/// with JSON holding the request's method, path, query and body, and ends with status 0 on SIGTERM
/// once the responses in flight are sent. Its limits: a request line of 8 KiB, headers of 16 KiB,
/// a body of 1 MiB (nginx's defaults).
public protocol HTTPServerAPI {
    /// The command that starts the server with `options`.
    func command(_ options: HTTPServerOptions) -> ServerCommand
}
