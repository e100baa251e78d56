import Foundation
import Glibc
import Grading
import Testing

/// `http-server` run as a process, as a user would, and spoken to over real connections: raw
/// requests for exact bytes, Python's http.client and curl as clients no one here wrote.
@Suite struct HTTPServerTests {
    /// A folder to serve: an index page with a stylesheet, a binary file in a subfolder, a file
    /// whose name needs escaping, and symbolic links that lead out of the folder.
    static func site() throws -> URL {
        let root = try Repository.temporaryFolder()
        let outside = try Repository.temporaryFolder().appendingPathComponent("secret.txt")
        try "secret\n".write(to: outside, atomically: true, encoding: .utf8)
        try "<html><head><link rel=\"stylesheet\" href=\"style.css\"></head><body><h1>你好</h1></body></html>\n"
            .write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "h1 { color: green; }\n".write(to: root.appendingPathComponent("style.css"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: root.appendingPathComponent("sub/data.bin"))
        try "x".write(to: root.appendingPathComponent("sub/<b>&.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("sub/leak").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("up").path, withDestinationPath: "..")
        return root
    }

    /// The server on a fresh site; stopped with SIGTERM (and expected to exit 0) by `stop`.
    final class Server {
        let root: URL
        let launched: ServerProcess
        var port: UInt16 { launched.port }
        var process: Process { launched.process }

        init(_ arguments: [String] = []) throws {
            root = try HTTPServerTests.site()
            launched = try ServerProcess("http-server", ["--root", root.path, "--port", "0"] + arguments)
        }

        func stop() -> Int32? { launched.stop() }
    }

    struct ServerFailure: Error, CustomStringConvertible { let description: String }

    /// A client connection made with the raw system calls.
    final class Client {
        let descriptor: CInt

        init(port: UInt16) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw ServerFailure(description: "connect failed: errno \(errno)") }
        }

        deinit { close(descriptor) }

        func send(_ text: String) { send(Array(text.utf8)) }

        func send(_ bytes: [UInt8]) {
            var sent = 0
            while sent < bytes.count {
                let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { return }
                sent += count
            }
        }

        /// Everything received until the server closes (or, with `ending`, until the bytes received
        /// end with it), or until 10 s pass.
        func receiveAll(endingWith ending: String? = nil) -> String {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            let deadline = Date().addingTimeInterval(10)
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            while Date() < deadline, poll(&entry, 1, 100) >= 0 {
                guard entry.revents != 0 else { continue }
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count <= 0 { break }
                bytes += buffer[..<count]
                if let ending, bytes.count >= ending.utf8.count, bytes.suffix(ending.utf8.count).elementsEqual(ending.utf8) { break }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The status lines of `text`, in order (a body that ends in "\n" runs into the next response's).
    func statusLines(_ text: String) -> [String] {
        // By bytes: to Swift's String, "\r\n" is one Character, not "\r" and "\n".
        text.utf8.split(separator: UInt8(ascii: "\n")).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }.filter { $0.hasPrefix("HTTP/1.") }
    }

    /// Verify that files are served with their type, length and date, HEAD without the body, a
    /// folder with its index or a listing (names escaped), a folder without its slash redirected,
    /// and an unchanged file answered 304.
    @Test func servesAFolder() throws {
        let server = try Server()
        let client = try Client(port: server.port)
        client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\nHEAD /style.css HTTP/1.1\r\nHost: t\r\n\r\nGET /sub HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /sub/ HTTP/1.1\r\nHost: t\r\n\r\nGET /style.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                    + "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n")
        let answer = client.receiveAll()
        #expect(statusLines(answer) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 301 Moved Permanently", "HTTP/1.1 200 OK",
                                        "HTTP/1.1 304 Not Modified"], "\(answer)")
        #expect(answer.contains("Content-Type: text/html; charset=utf-8\r\nLast-Modified: ") && answer.contains("<h1>你好</h1>"))
        #expect(answer.contains("Content-Type: text/css; charset=utf-8\r\nLast-Modified: ") && answer.contains("Content-Length: 21\r\n"))
        #expect(answer.components(separatedBy: "h1 { color: green; }").count == 1, "HEAD and 304 send no body")
        #expect(answer.contains("Location: /sub/\r\n"))
        #expect(answer.contains("<a href=\"%3Cb%3E%26.txt\">&lt;b&gt;&amp;.txt</a>") && answer.contains("<a href=\"data.bin\">"))
        #expect(server.stop() == 0)
    }

    /// Verify both ways a file leaves: up to `StaticFiles.smallFileLimit` bytes read and sent with
    /// its head, one byte more by sendfile(2); each whole, with its length, and none for HEAD.
    @Test func servesSmallAndLargeFilesWhole() throws {
        let server = try Server()
        let letters = { (count: Int) in String((0..<count).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) }) + "\n" }
        let (small, large) = (letters(16 * 1024 - 1), letters(16 * 1024))
        try small.write(to: server.root.appendingPathComponent("small.txt"), atomically: true, encoding: .utf8)
        try large.write(to: server.root.appendingPathComponent("large.txt"), atomically: true, encoding: .utf8)
        let client = try Client(port: server.port)
        client.send("GET /small.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /large.txt HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /large.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let answer = client.receiveAll()
        #expect(statusLines(answer) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
        #expect(answer.contains("Content-Length: 16384\r\n\r\n\(small)HTTP/1.1 200 OK\r\n"))
        #expect(answer.contains("Content-Length: 16385\r\n\r\n\(large)HTTP/1.1 200 OK\r\n"))
        #expect(answer.hasSuffix("Content-Length: 16385\r\nConnection: close\r\n\r\n"), "HEAD sends no body")
        #expect(server.stop() == 0)
    }

    /// Verify that the root is a jail: `..` sent raw or percent-encoded, and links out of it, are 403.
    @Test(arguments: ["/../etc/passwd", "/%2e%2e/etc/passwd", "/sub/%2E%2E/%2e%2e/etc/passwd", "/sub/leak", "/up/", "/up/etc"])
    func refusesPathsOutOfTheRoot(_ path: String) throws {
        let server = try Server()
        let client = try Client(port: server.port)
        client.send("GET \(path) HTTP/1.0\r\n\r\n")
        let answer = client.receiveAll()
        #expect(statusLines(answer) == ["HTTP/1.0 403 Forbidden"], "\(path): \(answer)")
        #expect(!answer.contains("secret") && !answer.contains("root:"))
    }

    /// Verify each error status: 404, 405 with Allow, 501, 505, 400, 414, 431, 413 (the last while
    /// the client is still sending its body).
    @Test(arguments: [
        ("GET /nothing HTTP/1.0\r\n\r\n", "HTTP/1.0 404 Not Found"),
        ("DELETE /style.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"),
        ("BREW /style.css HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "HTTP/1.1 501 Not Implemented"),
        ("GET / HTTP/2.0\r\nHost: t\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"),
        ("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n", "HTTP/1.1 414 URI Too Long"),
        ("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "a", count: 17000) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
        ("POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n" + String(repeating: "x", count: 200_000),
         "HTTP/1.1 413 Content Too Large"),
    ])
    func answersErrors(_ request: String, _ status: String) throws {
        let server = try Server()
        let client = try Client(port: server.port)
        client.send(request)
        let answer = client.receiveAll()
        #expect(statusLines(answer) == [status], "\(answer.prefix(300))")
        if status.contains("405") { #expect(answer.contains("Allow: GET, HEAD\r\n")) }
    }

    /// Verify that HTTP/1.0 closes after one response unless it asks to keep alive, and that a
    /// handler gets the method, query and a chunked body.
    @Test func versionsAndHandlers() throws {
        let server = try Server()
        let old = try Client(port: server.port)
        old.send("GET /style.css HTTP/1.0\r\n\r\n")
        #expect(old.receiveAll().hasPrefix("HTTP/1.0 200 OK\r\n"), "the server closed after an HTTP/1.0 response")
        let echo = try Client(port: server.port)
        echo.send("POST /api/echo?a=1 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
        let answer = echo.receiveAll()
        #expect(answer.contains("\"method\": \"POST\", \"path\": \"/api/echo\", \"query\": \"a=1\"") && answer.contains("\"body\": \"hello\""),
                "\(answer)")
    }

    /// Verify that a client sending a request a byte at a time is answered 408 and closed once the
    /// request time passes, and that SIGTERM lets the requests in flight finish: one still arriving,
    /// and one sent whole just before; then the server ends with status 0.
    @Test func slowClientsAndStopping() throws {
        let server = try Server(["--request-seconds", "1"])
        let slow = try Client(port: server.port)
        slow.send("GET / HTTP/1.1\r\nHost: t\r\n")
        #expect(slow.receiveAll().hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        // Each client is answered once first, so the server has accepted it before the stop.
        let request = "GET /style.css HTTP/1.1\r\nHost: t\r\n\r\n"
        let (inFlight, sentWhole) = (try Client(port: server.port), try Client(port: server.port))
        for client in [inFlight, sentWhole] {
            client.send(request)
            #expect(client.receiveAll(endingWith: "green; }\n").hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        inFlight.send("GET /style.css HTTP/1.1\r\nHost: t\r\n")
        sentWhole.send(request)
        kill(server.process.processIdentifier, SIGTERM)
        inFlight.send("\r\n")
        let finished = inFlight.receiveAll()
        #expect(finished.hasPrefix("HTTP/1.1 200 OK\r\n") && finished.contains("Connection: close\r\n"), "\(finished)")
        // Answered before the stop was handled (then closed as idle), or after it (with Connection: close).
        #expect(sentWhole.receiveAll().hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(server.stop() == 0)
    }

    /// Verify that a client that leaves in the middle of a large file (sendfile then meets a closed
    /// connection: EPIPE, and SIGPIPE unless ignored) costs only its own connection.
    @Test func clientLeavingMidFile() throws {
        let server = try Server()
        try Data(count: 32 << 20).write(to: server.root.appendingPathComponent("large.bin"))
        for _ in 0..<3 {
            let leaving = try Client(port: server.port)
            leaving.send("GET /large.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(leaving.descriptor, &buffer, buffer.count, 0)
        }
        let next = try Client(port: server.port)
        next.send("GET /style.css HTTP/1.0\r\n\r\n")
        #expect(next.receiveAll().hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(server.stop() == 0)
    }

    /// Verify that 500 clients each holding half a request do not stop a new client from being
    /// served, and are answered themselves once their requests are whole.
    @Test func fiveHundredSlowClients() throws {
        let server = try Server()
        let slow = try (0..<500).map { _ in try Client(port: server.port) }
        for client in slow { client.send("GET /style.css HTTP/1.1\r\nHost: t\r\n") }
        let normal = try Client(port: server.port)
        normal.send("GET /style.css HTTP/1.0\r\n\r\n")
        #expect(normal.receiveAll().hasPrefix("HTTP/1.0 200 OK\r\n"))
        for client in slow {
            client.send("\r\n")
            #expect(client.receiveAll(endingWith: "green; }\n").hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        #expect(server.stop() == 0)
    }

    /// Verify that Python's `requests` (keep-alive session: a page, JSON and chunked POSTs to the
    /// handler, HEAD, a conditional GET), curl (HTTP/1.0, HEAD, `-z` conditional) and wrk (a second of
    /// load, every response 2xx, no socket error) work against the server. `make test` installs them.
    @Test func clientsNoOneHereWrote() throws {
        let server = try Server()
        let script = """
            import requests
            base = "http://127.0.0.1:\(server.port)"
            s = requests.Session()
            page = s.get(base + "/")
            echo = s.post(base + "/api/echo?x=1", data=b"hello").json()
            chunked = s.post(base + "/api/echo", data=(piece for piece in [b"hel", b"lo"])).json()
            head = s.head(base + "/style.css")
            again = s.get(base + "/style.css", headers={"If-Modified-Since": head.headers["Last-Modified"]})
            print(page.status_code, "你好" in page.text, echo["method"], echo["query"], echo["body"], chunked["body"],
                  head.status_code, head.headers["Content-Length"], again.status_code)
            """
        let python = try Spawn.run("/usr/bin/env", ["python3", "-c", script], timeout: 60)
        #expect(python.stdout == "200 True POST x=1 hello hello 200 21 304\n", "\(python.stdout)\(python.stderr)")

        let curl = try #require(Spawn.which("curl"), "curl is missing: make test installs it (as root), or apt-get install curl")
        let url = "http://127.0.0.1:\(server.port)/style.css"
        let answers = try [["-0", url], ["-I", url], ["-z", "Sat, 01 Jan 2000 00:00:00 GMT", url], ["-z", "Fri, 01 Jan 2100 00:00:00 GMT", url]].map {
            try Spawn.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code} %{size_download}"] + $0, timeout: 60).stdout
        }
        // curl prints HTTP/1.0 as "1".
        #expect(answers == ["1 200 21", "1.1 200 0", "1.1 200 21", "1.1 304 0"], "\(answers)")

        let wrk = try #require(Spawn.which("wrk"), "wrk is missing: make test installs it (as root), or apt-get install wrk")
        let load = try Spawn.run(wrk, ["-t1", "-c16", "-d1s", url], timeout: 60)
        #expect(load.succeeded && load.stdout.contains("Requests/sec:"), "\(load.stdout)\(load.stderr)")
        #expect(!load.stdout.contains("Non-2xx") && !load.stdout.contains("Socket errors"), "\(load.stdout)")
        #expect(server.stop() == 0)
    }

    /// Verify that a real browser renders a page from the server with its stylesheet and image:
    /// headless Chromium loads it (the page's script puts the heading's computed colour and the
    /// image's width in its title, read back from the DOM) and takes a screenshot. Runs where
    /// Chromium is installed (`make browser` installs it as root and runs this test).
    @Test(.enabled(if: Spawn.which("chromium") != nil, "needs chromium: make browser"))
    func chromiumRendersAPage() throws {
        let server = try Server()
        let onePixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        try Data(base64Encoded: onePixel)!.write(to: server.root.appendingPathComponent("dot.png"))
        try """
            <!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="style.css"></head>
            <body onload="document.title = getComputedStyle(document.querySelector('h1')).color + ' ' + document.querySelector('img').naturalWidth">
            <h1>你好, HTTPServer v2.0</h1><img src="dot.png" width="40" height="40"></body></html>
            """.write(to: server.root.appendingPathComponent("browser.html"), atomically: true, encoding: .utf8)
        let page = "http://127.0.0.1:\(server.port)/browser.html"
        let chromium = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000"]
        let dom = try Spawn.run(Spawn.which("chromium")!, chromium + ["--dump-dom", page], timeout: 120)
        #expect(dom.stdout.contains("<title>rgb(0, 128, 0) 1</title>"), "the heading is not green or the image did not load: \(dom.stdout)")
        let shot = try Repository.temporaryFolder().appendingPathComponent("page.png")
        _ = try Spawn.run(Spawn.which("chromium")!, chromium + ["--window-size=800,600", "--screenshot=\(shot.path)", page], timeout: 120)
        let image = try Data(contentsOf: shot)
        #expect(image.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && image.count > 2000, "\(image.count) bytes")
        #expect(server.stop() == 0)
    }

    /// Verify that Python's http.client, on one kept-alive connection, gets a page, a 100,000-byte
    /// file byte for byte, HEAD, and 404; and that curl (when installed) downloads the file whole.
    @Test func realClients() throws {
        let server = try Server()
        let script = """
            import http.client, sys
            c = http.client.HTTPConnection("127.0.0.1", \(server.port))
            c.request("GET", "/"); r = c.getresponse(); page = r.read()
            c.request("GET", "/sub/data.bin"); r = c.getresponse(); data = r.read()
            expected = bytes((i * 31) & 0xff for i in range(100000))
            c.request("HEAD", "/style.css"); h = c.getresponse(); h.read()
            c.request("GET", "/nothing"); n = c.getresponse(); n.read()
            print(r.status, len(data), data == expected, h.status, h.getheader("Content-Length"), n.status, "你好" in page.decode())
            """
        let python = try Spawn.run("/usr/bin/env", ["python3", "-c", script], timeout: 60)
        #expect(python.stdout == "200 100000 True 200 21 404 True\n", "\(python.stdout)\(python.stderr)")
        if let curl = Spawn.which("curl") {
            let fetched = try Spawn.run(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                                               "http://127.0.0.1:\(server.port)/sub/data.bin"], timeout: 60)
            #expect(fetched.stdout == "200 100000", "\(fetched.stdout)\(fetched.stderr)")
        }
        #expect(server.stop() == 0)
    }
}
