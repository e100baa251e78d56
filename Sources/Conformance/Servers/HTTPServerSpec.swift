import Glibc

/// The checks of HTTP-1 ... HTTP-21 against an `HTTPServerAPI`: the server runs as its own process on
/// a fresh `ServedSite`, and the clients are the check's `HTTPClient`s sending raw requests, so what
/// is checked is the bytes on the wire. A response that does not come within 10 s (5 s where a
/// mistaken server would make the check wait) fails the check.
public struct HTTPServerSpec<Implementation: HTTPServerAPI>: Spec {
    public static var concept: String { "http-server" }
    let implementation: Implementation

    public init(_ implementation: Implementation) { self.implementation = implementation }

    public var checks: [Check] {
        [
            Check("HTTP-1", servesFiles),
            Check("HTTP-2", headHasNoBody),
            Check("HTTP-3", keepsAliveAndPipelines),
            Check("HTTP-4", closesWhenAsked),
            Check("HTTP-5", answersConditionalGets),
            Check("HTTP-6", servesFolders),
            Check("HTTP-7", handlesNonPageRequests),
            Check("HTTP-8", decodesPercentOnce),
            Check("HTTP-9", keepsToTheRoot),
            Check("HTTP-10", answersNotFound),
            Check("HTTP-11", answersMethodNotAllowed),
            Check("HTTP-12", refusesMalformedRequests),
            Check("HTTP-13", refusesTooLargeABody),
            Check("HTTP-14", refusesTooLongATarget),
            Check("HTTP-15", refusesTooLargeHeaders),
            Check("HTTP-16", refusesUnknownMethods),
            Check("HTTP-17", refusesOtherVersions),
            Check("HTTP-18", slowClientsDelayNobody),
            Check("HTTP-19", timesOutSlowRequests),
            Check("HTTP-20", limitsConnections),
            Check("HTTP-21", stopsGracefully),
        ]
    }

    /// Starts the server on `site`, with the options `adjust` sets.
    private func start(_ site: ServedSite, _ adjust: (inout HTTPServerOptions) -> Void = { _ in }) throws -> ServerProcess {
        var options = HTTPServerOptions(root: site.root)
        adjust(&options)
        let command = implementation.command(options)
        step("starting \(command)")
        return try ServerProcess(command)
    }

    /// `GET path` as HTTP/1.1 with Host and `headers` (each ending in CRLF).
    private func get(_ path: String, _ headers: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\(headers)\r\n"
    }

    /// HTTP-1: hello.txt, style.css and pic.png come with status 200, their bytes, Content-Length
    /// and their types.
    func servesFiles() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        for (path, type, bytes) in [("/hello.txt", "text/plain", ServedSite.hello), ("/style.css", "text/css", ServedSite.css),
                                    ("/pic.png", "image/png", ServedSite.png)] {
            let response = try client.exchange(get(path), "GET \(path)")
            try expectEqual(response.status, 200, "GET \(path): the status")
            try expectEqual(response.header("Content-Length"), "\(bytes.count)", "GET \(path): Content-Length")
            let given = response.header("Content-Type") ?? "none"
            try expectTrue(given.lowercased().hasPrefix(type), "GET \(path): Content-Type is \(given), not \(type)")
            try expectTrue(response.body == bytes, "GET \(path): the body is \"\(printable(response.body))\", not the file's bytes")
        }
    }

    /// HTTP-2: HEAD then GET in one send: the HEAD's head has GET's status, length and type, and the
    /// GET's response starts right after it.
    func headHasNoBody() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        try client.send("HEAD /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n" + get("/style.css"))
        let head = try client.response(bodiless: true, "HEAD /hello.txt")
        try expectEqual(head.status, 200, "HEAD /hello.txt: the status")
        try expectEqual(head.header("Content-Length"), "\(ServedSite.hello.count)", "HEAD /hello.txt: Content-Length (the file's)")
        try expectTrue(head.header("Content-Type")?.lowercased().hasPrefix("text/plain") == true,
                       "HEAD /hello.txt: Content-Type is \(head.header("Content-Type") ?? "none"), not text/plain")
        let next = try client.response("GET /style.css sent after HEAD (a body after HEAD's head would be read here)")
        try expectTrue(next.status == 200 && next.body == ServedSite.css, "GET after HEAD: \(next.statusLine) \"\(printable(next.body))\"")
    }

    /// HTTP-3: three pipelined GETs, answered in order on one connection, then a fourth later.
    func keepsAliveAndPipelines() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        try client.send(get("/hello.txt") + get("/style.css") + get("/dir/"))
        for (index, expected) in [ServedSite.hello, ServedSite.css, ServedSite.index].enumerated() {
            let response = try client.response("pipelined response \(index + 1) of 3")
            try expectTrue(response.status == 200 && response.body == expected,
                           "pipelined response \(index + 1) of 3: \(response.statusLine) \"\(printable(response.body))\"")
        }
        awaitAsleep(server, "letting the server wait between requests")
        let later = try client.exchange(get("/hello.txt"), "a fourth request on the same connection")
        try expectTrue(later.status == 200 && later.body == ServedSite.hello, "the fourth request: \(later.statusLine)")
    }

    /// HTTP-4: HTTP/1.0, and HTTP/1.1 with "Connection: close": the response, then the end.
    func closesWhenAsked() throws {
        let site = try ServedSite()
        let server = try start(site)
        for (request, what) in [("GET /hello.txt HTTP/1.0\r\n\r\n", "an HTTP/1.0 request"),
                                (get("/hello.txt", "Connection: close\r\n"), "an HTTP/1.1 request with Connection: close")] {
            let client = try HTTPClient(port: server.port)
            let response = try client.exchange(request, what)
            try expectTrue(response.status == 200 && response.body == ServedSite.hello, "\(what): \(response.statusLine)")
            try expectTrue(try client.closes(within: 5), "\(what): the connection was still open 5 s after the response")
        }
    }

    /// HTTP-5: Last-Modified of hello.txt is its time; If-Modified-Since of it is 304 without a
    /// body (the next response follows at once), an earlier one 200.
    func answersConditionalGets() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        let first = try client.exchange(get("/hello.txt"), "GET /hello.txt")
        let modified = "Tue, 02 Jan 2024 03:04:05 GMT"
        try expectEqual(first.header("Last-Modified"), modified, "Last-Modified of a file changed at 2024-01-02 03:04:05 UTC")
        let same = try client.exchange(get("/hello.txt", "If-Modified-Since: \(modified)\r\n"), "GET with If-Modified-Since its time")
        try expectEqual(same.status, 304, "GET with If-Modified-Since the file's time: the status")
        try expectTrue(same.header("Content-Length").map { $0 == "0" || $0 == "\(ServedSite.hello.count)" } ?? true,
                       "304: Content-Length \(same.header("Content-Length") ?? "") is neither the file's nor 0")
        let earlier = try client.exchange(get("/hello.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n"),
                                          "GET with If-Modified-Since in 2000 (a body after the 304 would be read here)")
        try expectTrue(earlier.status == 200 && earlier.body == ServedSite.hello,
                       "GET with If-Modified-Since in 2000: \(earlier.statusLine) \"\(printable(earlier.body))\"")
    }

    /// HTTP-6: /dir/ is its index, /list/ a listing with escaped names, /dir a 301 to /dir/.
    func servesFolders() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        let index = try client.exchange(get("/dir/"), "GET /dir/")
        try expectTrue(index.status == 200 && index.body == ServedSite.index, "GET /dir/ (with index.html): \(index.statusLine) \"\(printable(index.body))\"")
        let listing = try client.exchange(get("/list/"), "GET /list/")
        try expectEqual(listing.status, 200, "GET /list/ (no index.html): the status")
        try expectTrue(listing.header("Content-Type")?.lowercased().hasPrefix("text/html") == true, "GET /list/: Content-Type is not text/html")
        try expectTrue(listing.text.contains("plain.txt") && listing.text.contains("href="), "the listing does not link plain.txt")
        try expectTrue(listing.text.contains("&lt;x&gt;&amp;.txt") && !listing.text.contains("<x>&"),
                       "the listing shows the name \"<x>&.txt\" unescaped or not at all")
        let redirect = try client.exchange(get("/dir"), "GET /dir")
        try expectEqual(redirect.status, 301, "GET /dir (a folder without its slash): the status")
        let location = redirect.header("Location") ?? "none"
        try expectTrue(location == "/dir/" || location.hasSuffix("://localhost/dir/") || location.hasSuffix(":\(server.port)/dir/"),
                       "GET /dir: Location is \(location), not /dir/")
    }

    /// HTTP-7: /api/echo with a query, without one, and POSTs with a Content-Length and a chunked body.
    func handlesNonPageRequests() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        let exchanges: [(request: String, what: String, expected: [String])] = [
            (get("/api/echo?x=1&y=two"), "GET /api/echo?x=1&y=two",
             [#""method":"GET""#, #""path":"/api/echo""#, #""query":"x=1&y=two""#, #""body":"""#]),
            (get("/api/echo"), "GET /api/echo", [#""query":null"#]),
            ("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nhello body", "POST with Content-Length: 10",
             [#""method":"POST""#, #""body":"hello body""#]),
            ("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n chunk\r\n0\r\n\r\n",
             "POST with a chunked body", [#""method":"POST""#, #""body":"hello chunk""#]),
        ]
        for exchange in exchanges {
            let response = try client.exchange(exchange.request, exchange.what)
            try expectEqual(response.status, 200, "\(exchange.what): the status")
            let json = canonicalJSON(response.text)
            for member in exchange.expected {
                try expectTrue(json.contains(member), "\(exchange.what): the JSON \(response.text) has no \(member)")
            }
        }
    }

    /// HTTP-8: "a b.txt" as /a%20b.txt and "100%25.txt" as /100%2525.txt.
    func decodesPercentOnce() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        for (path, body) in [("/a%20b.txt", "space\n"), ("/100%2525.txt", "percent\n"), ("/hello.txt?%2e%2e", "hello, world\n")] {
            let response = try client.exchange(get(path), "GET \(path)")
            try expectTrue(response.status == 200 && response.text == body, "GET \(path): \(response.statusLine) \"\(printable(response.body))\"")
        }
    }

    /// HTTP-9: ways out of the root, each on a connection of its own: never the secret.
    func keepsToTheRoot() throws {
        let site = try ServedSite()
        let server = try start(site)
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/dir/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/leak.txt",
                     "/up/secret.txt", "/up/", "//../secret.txt"] {
            let client = try HTTPClient(port: server.port)
            let response = try client.exchange(get(path, "Connection: close\r\n"), "GET \(path)")
            try expectTrue(!response.text.contains(ServedSite.secret) && !response.text.contains("secret.txt\""),
                           "GET \(path) sent a file from outside the root: \(response.statusLine) \"\(printable(response.body))\"")
            try expectTrue([400, 403, 404].contains(response.status), "GET \(path): the status is \(response.status), not 400, 403 or 404")
        }
    }

    /// HTTP-10: 404 with a body, then the connection serves on.
    func answersNotFound() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        let missing = try client.exchange(get("/missing.txt"), "GET /missing.txt")
        try expectEqual(missing.status, 404, "GET /missing.txt: the status")
        try expectTrue(!missing.body.isEmpty && missing.body.count < 4096, "404: the body has \(missing.body.count) bytes, not a small page")
        let next = try client.exchange(get("/hello.txt"), "GET /hello.txt after the 404")
        try expectTrue(next.status == 200 && next.body == ServedSite.hello, "GET /hello.txt after a 404: \(next.statusLine)")
    }

    /// HTTP-11: DELETE and POST of a file: 405 with Allow naming GET and HEAD.
    func answersMethodNotAllowed() throws {
        let site = try ServedSite()
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        for request in ["DELETE /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n",
                        "POST /hello.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"] {
            let what = String(request.split(separator: "\r\n")[0])  // "\r\n" is one Character
            let response = try client.exchange(request, what)
            try expectEqual(response.status, 405, "\(what): the status")
            let allowed = (response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingSpaces.uppercased() }
            try expectTrue(allowed.contains("GET") && allowed.contains("HEAD"),
                           "\(what): Allow is \"\(response.header("Allow") ?? "missing")\", without GET and HEAD")
        }
    }

    /// HTTP-12: three malformed requests, each answered 400 and closed.
    func refusesMalformedRequests() throws {
        let site = try ServedSite()
        let server = try start(site)
        for (request, what) in [("GET /hello.txt\r\n\r\n", "a request line without a version"),
                                ("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n", "a header line without a colon"),
                                ("GET /hello.txt HTTP/1.1\r\n\r\n", "an HTTP/1.1 request without Host")] {
            let client = try HTTPClient(port: server.port)
            let response = try client.exchange(request, what)
            try expectEqual(response.status, 400, "\(what): the status")
            try expectTrue(try client.closes(within: 5), "\(what): the connection was still open 5 s after the 400")
        }
    }

    /// Sends `request` on a new connection and expects `status` within 5 s.
    private func expectRefusal(_ server: ServerProcess, _ request: String, _ status: Int, _ what: String) throws {
        let client = try HTTPClient(port: server.port)
        let response = try client.exchange(request, within: 5, what)
        try expectEqual(response.status, status, "\(what): the status")
    }

    /// HTTP-13: Content-Length: 2000000 and no body sent: 413 at once.
    func refusesTooLargeABody() throws {
        let site = try ServedSite()
        let server = try start(site)
        try expectRefusal(server, "POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n", 413,
                          "a head announcing a body of 2000000 bytes, the body not sent")
    }

    /// HTTP-14: a target of 9000 bytes.
    func refusesTooLongATarget() throws {
        let site = try ServedSite()
        let server = try start(site)
        try expectRefusal(server, get("/" + String(repeating: "a", count: 9000)), 414, "a request target of 9001 bytes")
    }

    /// HTTP-15: 20 headers of 1000 bytes.
    func refusesTooLargeHeaders() throws {
        let site = try ServedSite()
        let server = try start(site)
        let headers = (0..<20).map { "X-Filler-\($0): \(String(repeating: "f", count: 1000))\r\n" }.joined()
        try expectRefusal(server, get("/hello.txt", headers), 431, "20 header lines of 1000 bytes")
    }

    /// HTTP-16: BREW.
    func refusesUnknownMethods() throws {
        let site = try ServedSite()
        let server = try start(site)
        try expectRefusal(server, "BREW /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n", 501, "BREW /hello.txt")
    }

    /// HTTP-17: HTTP/2.0 and HTTP/3.0.
    func refusesOtherVersions() throws {
        let site = try ServedSite()
        let server = try start(site)
        for version in ["HTTP/2.0", "HTTP/3.0"] {
            try expectRefusal(server, "GET /hello.txt \(version)\r\nHost: localhost\r\n\r\n", 505, "GET /hello.txt \(version)")
        }
    }

    /// HTTP-18: 100 clients with half a request each, then a new client answered within 5 s; then
    /// the 100 finish their requests and are answered too.
    func slowClientsDelayNobody() throws {
        let site = try ServedSite()
        let server = try start(site)
        step("connecting 100 clients that send half a request")
        let slow = try (0..<100).map { _ in try HTTPClient(port: server.port) }
        for client in slow { try client.send("GET /hello.txt HTTP/1.1\r\nHost: loc") }
        let client = try HTTPClient(port: server.port)
        let response = try client.exchange(get("/hello.txt"), within: 5, "a new client while 100 hold half a request")
        try expectEqual(response.status, 200, "the new client: the status")
        for (index, client) in slow.enumerated() {
            let finished = try client.exchange("alhost\r\n\r\n", "slow client \(index + 1) of 100, its request finished")
            try expectEqual(finished.status, 200, "slow client \(index + 1) of 100: the status")
        }
    }

    /// HTTP-19: --request-seconds 1 and half a request: 408 within 5 s, then the end.
    func timesOutSlowRequests() throws {
        let site = try ServedSite()
        let server = try start(site) { $0.requestSeconds = 1 }
        let client = try HTTPClient(port: server.port)
        try client.send("GET /hello.txt HTTP/1.1\r\nHost: loc")
        let response = try client.response(within: 5, "half a request, --request-seconds 1")
        try expectEqual(response.status, 408, "half a request past --request-seconds 1: the status")
        try expectTrue(try client.closes(within: 5), "the connection was still open 5 s after the 408")
    }

    /// HTTP-20: --max-connections 4: four served clients, a fifth 503 and closed; once one leaves,
    /// a new client is served (within 5 s: the server learns of the leaving when it reads the end).
    func limitsConnections() throws {
        let site = try ServedSite()
        let server = try start(site) { $0.maxConnections = 4 }
        let clients = try (0..<4).map { _ in try HTTPClient(port: server.port) }
        for (index, client) in clients.enumerated() {
            let response = try client.exchange(get("/hello.txt"), "client \(index + 1) of 4")
            try expectEqual(response.status, 200, "client \(index + 1) of 4 (--max-connections 4): the status")
        }
        let fifth = try HTTPClient(port: server.port)
        let refused = try fifth.response(within: 5, "a fifth client with --max-connections 4")
        try expectEqual(refused.status, 503, "a fifth client with --max-connections 4: the status")
        try expectTrue(try fifth.closes(within: 5), "the fifth client's connection was still open 5 s after the 503")
        clients[0].socket.close()
        let deadline = Deadline(after: 5)
        while true {
            let client = try HTTPClient(port: server.port)
            let response = try client.exchange(get("/hello.txt"), "a new client once one of the 4 left")
            if response.status == 200 { return }
            try expectEqual(response.status, 503, "a new client once one of the 4 left: the status")
            guard !deadline.hasPassed else { throw CheckFailure("a new client was still refused 5 s after one of the 4 left") }
            usleep(20_000)
        }
    }

    /// HTTP-21: an 8 MiB download under way, its client not reading; SIGTERM; new connections are
    /// refused; the download then finishes whole, the connection ends, and the server exits 0.
    func stopsGracefully() throws {
        let site = try ServedSite()
        // 8 MiB of a block whose length is prime, so no two 4 KiB pages of the file are alike.
        let block = (0..<65521).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        var big: [UInt8] = []
        while big.count < 8 << 20 { big.append(contentsOf: block.prefix((8 << 20) - big.count)) }
        try site.write("big.bin", big)
        let server = try start(site)
        let client = try HTTPClient(port: server.port)
        try client.send(get("/big.bin"))
        step("waiting until the server has sent what the connection holds")
        awaitAsleep(server, "the server blocked on a client that does not read")
        kill(server.pid, SIGTERM)
        step("waiting until new connections are refused")
        let deadline = Deadline(after: 10)
        while (try? LoopbackSocket.connected(to: server.port)) != nil {
            guard !deadline.hasPassed else { throw CheckFailure("10 s after SIGTERM the server still accepted connections") }
            usleep(10_000)
        }
        let response = try client.response(within: 10, "the download under way at SIGTERM")
        try expectTrue(response.status == 200 && response.body == big,
                       "the download under way at SIGTERM: \(response.statusLine), \(response.body.count) of \(big.count) bytes, \(response.body == big ? "" : "not ")the file's")
        try expectTrue(try client.closes(within: 5), "the connection was still open 5 s after the last response")
        try expectEqual(try server.stop(with: 0), .exited(code: 0), "how the server ended after SIGTERM")
    }
}

/// `text` with the white space between JSON tokens removed and each string written one way
/// (`\/` as `/`, `\u0041` as `A`), so that members compare as text whatever the spacing and escaping.
func canonicalJSON(_ text: String) -> String {
    var out = ""
    var scalars = text.unicodeScalars.makeIterator()
    var inString = false
    while let scalar = scalars.next() {
        if !inString {
            if scalar == "\"" { inString = true }
            if ![" ", "\n", "\r", "\t"].contains(scalar) { out.unicodeScalars.append(scalar) }
            continue
        }
        switch scalar {
        case "\"":
            inString = false
            out.unicodeScalars.append(scalar)
        case "\\":
            guard let escaped = scalars.next() else { return out }
            switch escaped {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "u":
                let hex = String(String.UnicodeScalarView((0..<4).compactMap { _ in scalars.next() }))
                if let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) { out.unicodeScalars.append(decoded) }
            default: out.unicodeScalars.append(escaped)  // \/ and the rest: the character itself
            }
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
