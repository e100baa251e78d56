import Conformance
import Glibc

/// The course's HTTPServer v2.0: receives browsers' requests, answers with files or data, and serves
/// many clients at once, as a class with handlers (Python: `http.server.HTTPServer` with a
/// `BaseHTTPRequestHandler`). IO concurrency on the project's epoll selector: one thread, every
/// socket non-blocking, as the day5 epoll_server, so a slow client costs a few bytes of state, never
/// a thread.
///
/// HTTP/1.1 with keep-alive and pipelining (responses in request order), HTTP/1.0 closing unless
/// asked to keep alive. GET and HEAD serve `files` (when given); `route` adds handlers for exact
/// paths, e.g. a JSON endpoint. A method the server knows but the path does not allow is 405 with
/// `Allow`, one it does not know 501.
///
/// Limits: a request must arrive whole within `requestSeconds` of its first byte (a slowloris
/// client sending a byte at a time is answered 408 and closed), an idle keep-alive connection or a
/// client that stops reading is closed after `idleSeconds`, and past `maxConnections` a new client
/// gets 503. SIGTERM or SIGINT stops accepting, lets the responses in flight finish (up to
/// `graceSeconds`), then returns.
public final class HTTPServer {
    /// A handler for one path: the request in, the response out.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public struct Configuration: Sendable {
        public var limits = HTTPRequestParser.Limits()
        public var requestSeconds = 10.0
        public var idleSeconds = 60.0
        public var maxConnections = 1024
        public var graceSeconds = 10.0

        public init() {}
    }

    /// The methods of RFC 9110 and PATCH: these get 405 where not allowed, others 501.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    public let port: UInt16
    public let configuration: Configuration
    private let files: StaticFiles?
    private var routes: [String: (methods: Set<String>, handler: Handler)] = [:]
    private let selector: EpollSelector
    private let listener: Socket
    private let stop: StopSignals
    private var connections: [Int32: HTTPConnection] = [:]
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)

    /// Listens on 127.0.0.1:`port` (0: a free port), serving the folder `root` if given.
    public init(root: String?, port: UInt16, configuration: Configuration = Configuration()) throws {
        files = try root.map { folder throws(HTTPServerError) in try StaticFiles(root: folder) }
        // sendfile(2) has no MSG_NOSIGNAL: a client gone in the middle of a file must be an error
        // (EPIPE) on its connection, not SIGPIPE ending the server.
        signal(SIGPIPE, SIG_IGN)
        self.configuration = configuration
        selector = try EpollSelector()
        stop = try StopSignals()
        listener = try BlockingEcho.nonBlockingListener(port: port)
        self.port = try listener.localAddress().port
        try selector.register(listener.descriptor, for: .readable)
        try selector.register(stop.descriptor, for: .readable)
    }

    deinit { buffer.deallocate() }

    /// Answers requests for `path` with `methods` (HEAD comes with GET) by `handler`.
    public func route(_ path: String, methods: Set<String> = ["GET"], _ handler: @escaping Handler) {
        routes[path] = (methods.contains("GET") ? methods.union(["HEAD"]) : methods, handler)
    }

    /// Serves until SIGINT or SIGTERM, lets the responses in flight finish, then closes every socket.
    public func serve() throws {
        defer { shutDown() }
        while graceEnds.map({ !connections.isEmpty && ContinuousClock.now < $0 }) ?? true {
            for ready in try selector.wait(timeout: secondsToNextDeadline()) {
                switch ready.descriptor {
                case stop.descriptor:
                    if graceEnds == nil { beginStopping() }
                case listener.descriptor: acceptWaitingClients()
                default: if let connection = connections[ready.descriptor] { serve(connection, ready.events) }
                }
            }
            closeExpired(.now)
        }
    }

    // MARK: Connections

    private func acceptWaitingClients() {
        while true {
            let client: Socket
            do throws(SocketError) {
                client = try listener.accept().0
                try client.setBlocking(false)
                // Responses are written whole (MSG_MORE joins a head to its body): Nagle's wait for
                // an ACK would only delay the next pipelined response.
                var on: Int32 = 1
                setsockopt(client.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            } catch .wouldBlock {
                return
            } catch .connectionReset {
                continue
            } catch {
                // EMFILE and the like: report, leave the client waiting, serve the others.
                log("accept failed: \(error)")
                return
            }
            guard connections.count < configuration.maxConnections else {
                let refusal = HTTPResponse.error(.serviceUnavailable, "the server has \(configuration.maxConnections) connections")
                let bytes = refusal.head(version: .http11, keepAlive: false, date: currentDate())
                _ = try? client.send(bytes + (refusal.body.bytes ?? []))
                client.close()
                continue
            }
            do throws(SelectorError) {
                try selector.register(client.descriptor, for: .readable)
                connections[client.descriptor] = HTTPConnection(client, limits: configuration.limits, now: .now)
            } catch {
                log("cannot serve a client: \(error)")
                client.close()
            }
        }
    }

    private func serve(_ connection: HTTPConnection, _ events: IOEvents) {
        connection.lastActivity = .now
        do {
            if events.contains(.readable) || !events.isDisjoint(with: IOEvents.alwaysReported) {
                let count = try connection.socket.receive(into: buffer)
                if count == 0 { return close(connection) }
                // After an error's response: what the client still sends is read and dropped, so
                // that closing does not reset the connection before the response is read.
                if connection.discardsInput { return }
                if connection.requestStarted == nil { connection.requestStarted = connection.lastActivity }
                connection.parser.append(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
            try advance(connection)
        } catch SocketError.wouldBlock {
            return
        } catch {
            close(connection)
        }
    }

    /// Sends what is queued, then answers the next complete request, one response at a time, so
    /// pipelined requests are answered in order and a client that does not read is not answered
    /// ahead; closes the connection once its last response is sent.
    private func advance(_ connection: HTTPConnection) throws {
        while !connection.discardsInput {
            let drained = try connection.flush()
            if drained && connection.closesAfterSending {
                guard connection.parser.pendingCount > 0 else { return close(connection) }
                try connection.socket.shutdown(.writing)
                connection.discardsInput = true
                break
            }
            guard drained else { break }
            let request: HTTPRequest
            do throws(HTTPRequestError) {
                guard let next = try connection.parser.next() else { break }
                request = next
            } catch {
                respond(connection, .error(error.status, error.reason), version: .http11, keepAlive: false, withBody: true)
                continue
            }
            connection.requestStarted = connection.parser.pendingCount > 0 ? .now : nil
            respond(connection, response(to: request), version: request.version,
                    keepAlive: request.keepsAlive && graceEnds == nil, withBody: request.method != "HEAD")
        }
        let wanted: IOEvents = connection.isDrained || connection.discardsInput ? .readable : .writable
        if wanted != connection.watched {
            try selector.modify(connection.socket.descriptor, for: wanted)
            connection.watched = wanted
        }
    }

    private func respond(_ connection: HTTPConnection, _ response: HTTPResponse, version: HTTPRequest.Version,
                         keepAlive: Bool, withBody: Bool) {
        let head = response.head(version: version, keepAlive: keepAlive, date: currentDate())
        connection.queue(head: head, body: response.body, withBody: withBody && response.status != .notModified)
        if !keepAlive { connection.closesAfterSending = true }
    }

    /// The response to a complete request: a route's handler, a file, or an error.
    func response(to request: HTTPRequest) -> HTTPResponse {
        guard Self.knownMethods.contains(request.method) else {
            return .error(.notImplemented, "the method \(request.method) is not implemented")
        }
        if let route = routes[request.path] {
            guard route.methods.contains(request.method) else { return notAllowed(request, route.methods) }
            return route.handler(request)
        }
        guard let files else { return .error(.notFound, "nothing is at \(request.path)") }
        guard request.method == "GET" || request.method == "HEAD" else { return notAllowed(request, ["GET", "HEAD"]) }
        return files.respond(to: request)
    }

    private func notAllowed(_ request: HTTPRequest, _ methods: Set<String>) -> HTTPResponse {
        .error(.methodNotAllowed, "\(request.path) does not take \(request.method)",
               headers: [("Allow", methods.sorted().joined(separator: ", "))])
    }

    // MARK: Time limits and stopping

    /// Once stopping: when the responses in flight must have finished.
    private var graceEnds: ContinuousClock.Instant?

    /// When `connection` must have made progress: its request's deadline while one arrives, the
    /// request limit again while it drops what a refused client still sends, else the idle limit.
    private func deadline(of connection: HTTPConnection) -> ContinuousClock.Instant {
        if connection.discardsInput { return connection.lastActivity + .seconds(configuration.requestSeconds) }
        if let started = connection.requestStarted, connection.isDrained {
            return started + .seconds(configuration.requestSeconds)
        }
        return connection.lastActivity + .seconds(configuration.idleSeconds)
    }

    private func secondsToNextDeadline() -> Double? {
        var next = graceEnds
        for connection in connections.values {
            let due = deadline(of: connection)
            if next.map({ due < $0 }) ?? true { next = due }
        }
        return next.map { max(0, ContinuousClock.now.duration(to: $0).seconds) }
    }

    /// Closes each connection past its deadline; a request that did not arrive in time is answered 408.
    private func closeExpired(_ now: ContinuousClock.Instant) {
        for connection in connections.values where deadline(of: connection) <= now {
            if connection.requestStarted != nil && connection.isDrained && !connection.discardsInput {
                let timeout = HTTPResponse.error(.requestTimeout, "the request did not arrive within \(configuration.requestSeconds) s")
                respond(connection, timeout, version: .http11, keepAlive: false, withBody: true)
                _ = try? connection.flush()
            }
            close(connection)
        }
    }

    /// Stops accepting; connections between requests close now, the others after the response
    /// to the request they are sending or being answered (each response from now on closes). What
    /// a client sent before the stop, still in the kernel's buffer, is read first and answered.
    private func beginStopping() {
        graceEnds = .now + .seconds(configuration.graceSeconds)
        try? selector.unregister(listener.descriptor)
        listener.close()
        for connection in connections.values {
            serve(connection, .readable)
            guard connections[connection.socket.descriptor] === connection, connection.parser.pendingCount == 0 else { continue }
            if connection.isDrained { close(connection) } else { connection.closesAfterSending = true }
        }
    }

    private func close(_ connection: HTTPConnection) {
        try? selector.unregister(connection.socket.descriptor)
        connections[connection.socket.descriptor] = nil
        connection.socket.close()
    }

    private func shutDown() {
        for connection in connections.values { close(connection) }
        listener.close()
        selector.close()
    }

    /// The Date header's value, formatted once a second rather than once a response.
    private var date: (second: time_t, text: String) = (-1, "")

    private func currentDate() -> String {
        let now = time(nil)
        if now != date.second { date = (now, HTTPDate.format(now)) }
        return date.text
    }

    private func log(_ message: String) {
        var line = "http-server: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

extension HTTPResponse.Body {
    /// The bytes of a body held in memory.
    var bytes: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }
}
