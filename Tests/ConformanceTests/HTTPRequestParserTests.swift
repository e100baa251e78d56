import Networking
import Testing

/// The HTTP server's request parser: requests as they arrive on a connection, in pieces or
/// pipelined, and every malformed or oversized one refused with its status.
@Suite struct HTTPRequestParserTests {
    /// Parses `text` appended in one piece; the requests it holds, or the error.
    func parse(_ text: String, limits: HTTPRequestParser.Limits = .init()) throws(HTTPRequestError) -> [HTTPRequest] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        var requests: [HTTPRequest] = []
        while let request = try parser.next() { requests.append(request) }
        return requests
    }

    func status(of text: String, limits: HTTPRequestParser.Limits = .init()) -> HTTPStatus? {
        do throws(HTTPRequestError) {
            _ = try parse(text, limits: limits)
            return nil
        } catch {
            return error.status
        }
    }

    /// Verify that a GET is read into method, path, query, version and headers, and keeps the connection.
    @Test func readsARequest() throws {
        let requests = try parse("GET /docs/a%20b.html?x=1&y=%E4%BD%A0+2 HTTP/1.1\r\nHost: localhost\r\nAccept:  */* \r\n\r\n")
        let request = try #require(requests.first)
        #expect(requests.count == 1)
        #expect(request.method == "GET" && request.target == "/docs/a%20b.html?x=1&y=%E4%BD%A0+2")
        #expect(request.path == "/docs/a b.html" && request.query == "x=1&y=%E4%BD%A0+2" && request.version == .http11)
        #expect(request.headers["host"] == "localhost" && request.headers["ACCEPT"] == "*/*" && request.body.isEmpty)
        #expect(request.keepsAlive)
        #expect(request.queryItems?.map { "\($0.name)=\($0.value)" } == ["x=1", "y=你 2"])
    }

    /// Verify that pipelined requests come out one by one, in order, and a request split at any byte
    /// waits for the rest.
    @Test func pipelinedAndSplitRequests() throws {
        let two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nWiki.\r\n0\r\n\r\n"
        #expect(try parse(two).map(\.path) == ["/a", "/b", "/c"])
        #expect(try parse(two).map(\.body) == [[], Array("hello".utf8), Array("Wiki.".utf8)])
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []
        for byte in two.utf8 {
            parser.append([byte])
            while let request = try parser.next() { requests.append(request) }
        }
        #expect(requests == (try parse(two)))
        #expect(parser.pendingCount == 0)
    }

    /// Verify when the connection stays open: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
    /// "Connection: keep-alive"; HTTP/1.0 needs no Host, a later 1.x is read as 1.1.
    @Test func keepAliveByVersion() throws {
        #expect(try parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")[0].keepsAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\n\r\n")[0].keepsAlive == false)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")[0].keepsAlive == true)
        #expect(try parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n")[0].version == .http11)
        #expect(try parse("\r\n\r\nGET / HTTP/1.0\n\n").count == 1, "empty lines before a request, and bare LFs")
    }

    /// Verify that a chunked body is joined, its extensions and trailers skipped.
    @Test func chunkedBody() throws {
        let request = try parse("POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\nWiki\r\n5;name=value\r\npedia\r\n0\r\nExpires: never\r\n\r\n")
        #expect(request.first.map { String(decoding: $0.body, as: UTF8.self) } == "Wikipedia")
    }

    /// Verify that the path is percent-decoded exactly once and the target's forms are understood.
    @Test func targets() throws {
        #expect(try parse("GET /a%252e HTTP/1.0\r\n\r\n")[0].path == "/a%2e")
        #expect(try parse("GET /%2e%2e/etc/passwd HTTP/1.0\r\n\r\n")[0].path == "/../etc/passwd")
        let absolute = try parse("GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n")[0]
        #expect(absolute.path == "/a" && absolute.query == "b")
        #expect(try parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")[0].path == "*")
        #expect(try parse("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n")[0].method == "BREW", "an unknown method is the server's to refuse (501)")
    }

    /// Verify that each malformed or oversized request is refused with its status.
    @Test(arguments: [
        ("GET /\r\n\r\n", HTTPStatus.badRequest),
        ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\n\r\n", .badRequest),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .badRequest),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .httpVersionNotSupported),
        ("GET / HTTP/1\r\n\r\n", .badRequest),
        ("GET / FTP/1.0\r\n\r\n", .badRequest),
        ("G\u{1}T / HTTP/1.0\r\n\r\n", .badRequest),
        ("GET / HTTP/1.0\r\nHost a\r\n\r\n", .badRequest),
        ("GET / HTTP/1.0\r\nBad Name: x\r\n\r\n", .badRequest),
        ("GET / HTTP/1.0\r\nA: b\r\n folded\r\n\r\n", .badRequest),
        ("GET / HTTP/1.0\r\nA: b\rc\r\n\r\n", .badRequest),
        ("GET /%zz HTTP/1.0\r\n\r\n", .badRequest),
        ("GET /a%00b HTTP/1.0\r\n\r\n", .badRequest),
        ("GET /%ff HTTP/1.0\r\n\r\n", .badRequest),
        ("GET index.html HTTP/1.0\r\n\r\n", .badRequest),
        ("GET * HTTP/1.0\r\n\r\n", .badRequest),
        ("POST / HTTP/1.0\r\nContent-Length: 1x\r\n\r\n", .badRequest),
        ("POST / HTTP/1.0\r\nContent-Length: -1\r\n\r\n", .badRequest),
        ("POST / HTTP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", .badRequest),
        ("POST / HTTP/1.0\r\nContent-Length: 2000000\r\n\r\n", .contentTooLarge),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", .notImplemented),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", .badRequest),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n", .contentTooLarge),
    ])
    func refused(_ text: String, _ expected: HTTPStatus) {
        #expect(status(of: text) == expected, "\(text.debugDescription)")
    }

    /// Verify that raw UTF-8 in the target and in a field value is read as text, and bytes that are
    /// not UTF-8 (a lone 0xFF, a truncated sequence) in the target, a name or a value are 400.
    @Test func rawBytesMustBeUTF8() throws {
        func parse(_ bytes: [UInt8]) throws(HTTPRequestError) -> HTTPRequest? {
            var parser = HTTPRequestParser()
            parser.append(bytes)
            return try parser.next()
        }
        let request = try #require(try parse(Array("GET /你好 HTTP/1.0\r\nX-Name: é\r\n\r\n".utf8)))
        #expect(request.path == "/你好" && request.headers["x-name"] == "é")
        for bad: [UInt8] in [[0xFF], [0xE4, 0xBD], [0xC0, 0x80]] {
            for (before, after) in [("GET /", " HTTP/1.0\r\n\r\n"), ("GET / HTTP/1.0\r\nX: ", "\r\n\r\n"), ("GET / HTTP/1.0\r\nX", ": y\r\n\r\n")] {
                let bytes = Array(before.utf8) + bad + Array(after.utf8)
                #expect(throws: HTTPRequestError.self, "\(bad) in \(before.debugDescription)") { try parse(bytes) }
                do throws(HTTPRequestError) { _ = try parse(bytes) } catch { #expect(error.status == .badRequest) }
            }
        }
    }

    /// Verify that the limits are found before the rest arrives: a request line over its limit is
    /// 414 with no end of line yet, a header section over its limit or too many fields 431.
    @Test func limitsAreFoundEarly() {
        #expect(status(of: "GET /" + String(repeating: "a", count: 9000)) == .uriTooLong)
        #expect(status(of: "GET /" + String(repeating: "a", count: 8000)) == nil, "a request line within the limit waits")
        #expect(status(of: "GET / HTTP/1.0\r\nX: " + String(repeating: "a", count: 17000)) == .requestHeaderFieldsTooLarge)
        let fields = (0..<101).map { "X-\($0): y\r\n" }.joined()
        #expect(status(of: "GET / HTTP/1.0\r\n" + fields + "\r\n") == .requestHeaderFieldsTooLarge)
        var small = HTTPRequestParser.Limits()
        small.body = 10
        #expect(status(of: "POST / HTTP/1.0\r\nContent-Length: 11\r\n\r\n", limits: small) == .contentTooLarge)
        #expect(status(of: "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", limits: small)
                == .contentTooLarge)
    }

    /// Verify that 20,000 mutations of valid requests (bytes flipped, inserted, deleted; a seeded
    /// generator, so the same every run) each end in requests, an error or a wait for more bytes,
    /// never a crash, and that a request read in pieces is the request read whole.
    @Test func mutatedRequestsNeverCrash() {
        let seeds = [
            "GET /a%20b?x=1 HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n",
            "POST /u HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n",
            "POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n0\r\n\r\n",
        ].map { Array($0.utf8) }
        var random = SplitMix64(seed: 2026)
        for round in 0..<20_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0...(random.next() % 4) {
                let index = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                default: bytes.remove(at: index)
                }
            }
            let whole = outcome(bytes, pieces: 1)
            let split = outcome(bytes, pieces: 1 + Int(random.next() % 7))
            #expect(whole == split, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
    }

    /// The requests and the error (if any) of `bytes` appended in `pieces` parts.
    private func outcome(_ bytes: [UInt8], pieces: Int) -> String {
        var parser = HTTPRequestParser()
        var requests: [HTTPRequest] = []
        let size = max(1, bytes.count / pieces)
        var offset = 0
        do throws(HTTPRequestError) {
            while offset < bytes.count {
                parser.append(bytes[offset..<min(bytes.count, offset + size)])
                offset += size
                while let request = try parser.next() { requests.append(request) }
            }
            return "\(requests.map(\.target)) pending \(parser.pendingCount)"
        } catch {
            return "\(requests.map(\.target)) \(error.status)"
        }
    }
}

/// A small seeded generator (SplitMix64), so a randomized test is the same every run.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}
