import CSystem
import Conformance
import Foundation
import Glibc
import Networking

/// The HTTP servers of the mutants, run by this executable itself:
/// `mutant-runner --http-server NAME --root DIR --port 0 --request-seconds S --max-connections N`.
struct MutantHTTPServer: HTTPServerAPI {
    let name: String

    func command(_ options: HTTPServerOptions) -> ServerCommand {
        ServerCommand.sibling("mutant-runner", ["--http-server", name] + options.arguments)
    }
}

/// One mistaken HTTP server: the reference `HTTPServer` with a setting that ignores what it was
/// told, or behind a proxy that rewrites the bytes each way, serves one connection at a time, or
/// joins paths to the root without a jail.
struct HTTPMutantDesign: Sendable {
    let name: String
    let mistake: String
    let rejectedBy: [String: Outcome.Status]
    /// Changes the server's settings.
    var configure: @Sendable (inout HTTPServer.Configuration) -> Void = { _ in }
    /// Rewrites what each read from a client holds before the server gets it (with a proxy).
    var request: (@Sendable ([UInt8]) -> [UInt8])?
    /// Rewrites what each read from the server holds before the client gets it (with a proxy).
    var response: (@Sendable ([UInt8]) -> [UInt8])?
    /// The proxy serves one connection to its end before it accepts the next.
    var oneAtATime = false
    /// The proxy leaves the client's connection open when the server closes it.
    var neverCloses = false
    /// The server serves "/" and the proxy joins each path to the root after collapsing "..".
    var noJail = false

    var needsProxy: Bool { request != nil || response != nil || oneAtATime || neverCloses || noJail }
}

/// `bytes` with every `old` replaced by `new`.
func replacing(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
    let old = Array(old.utf8), new = Array(new.utf8)
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == old[0], index + old.count <= bytes.count, bytes[index..<(index + old.count)].elementsEqual(old) {
            out += new
            index += old.count
        } else {
            out.append(bytes[index])
            index += 1
        }
    }
    return out
}

var httpDesigns: [HTTPMutantDesign] {
    [
    HTTPMutantDesign(name: "http-octet-stream", mistake: "types every file application/octet-stream",
                     rejectedBy: ["HTTP-1": .fail], response: { bytes in
                         ["text/plain", "text/css", "image/png", "text/html"].reduce(bytes) { replacing($0, "Content-Type: \($1)", "Content-Type: application/octet-stream") }
                     }),
    HTTPMutantDesign(name: "http-head-sends-body", mistake: "answers HEAD as GET, body and all",
                     rejectedBy: ["HTTP-2": .fail], request: { replacing($0, "HEAD /", "GET /") }),
    HTTPMutantDesign(name: "http-closes-after-each", mistake: "closes every connection after one response (no keep-alive)",
                     rejectedBy: ["HTTP-3": .fail], request: { bytes in
                         guard let end = firstLineEnd(bytes) else { return bytes }
                         return Array(bytes[..<end]) + Array("Connection: close\r\n".utf8) + Array(bytes[end...])
                     }),
    HTTPMutantDesign(name: "http-never-closes", mistake: "keeps every connection open, after HTTP/1.0, Connection: close and 400 too",
                     rejectedBy: ["HTTP-4": .fail, "HTTP-12": .fail], neverCloses: true),
    HTTPMutantDesign(name: "http-ignores-if-modified-since", mistake: "sends the file whatever If-Modified-Since says",
                     rejectedBy: ["HTTP-5": .fail], request: { replacing($0, "If-Modified-Since:", "X-Unread-Since:") }),
    HTTPMutantDesign(name: "http-listing-unescaped", mistake: "writes names into the listing's HTML unescaped",
                     rejectedBy: ["HTTP-6": .fail], response: { bytes in
                         // Padded to the same length, so that Content-Length still holds.
                         replacing(replacing(replacing(bytes, "&lt;", "<   "), "&gt;", ">   "), "&amp;", "&    ")
                     }),
    HTTPMutantDesign(name: "http-ignores-chunked", mistake: "reads no chunked body: a request with one has an empty body",
                     rejectedBy: ["HTTP-7": .fail], request: { replacing($0, "Transfer-Encoding: chunked", "X-Unread-Encoding: chunked") }),
    HTTPMutantDesign(name: "http-decodes-twice", mistake: "percent-decodes the path twice",
                     rejectedBy: ["HTTP-8": .fail], request: { bytes in
                         guard let target = requestTarget(bytes) else { return bytes }
                         let path = bytes[target].prefix { $0 != UInt8(ascii: "?") }
                         return Array(bytes[..<target.lowerBound]) + percentDecoded(Array(path)) + Array(bytes[(target.lowerBound + path.count)...])
                     }),
    HTTPMutantDesign(name: "http-no-jail", mistake: "joins the path to the root after collapsing \"..\", with no jail and following links",
                     rejectedBy: ["HTTP-9": .fail], noJail: true),
    HTTPMutantDesign(name: "http-missing-is-200", mistake: "answers 200 for a path with nothing behind it",
                     rejectedBy: ["HTTP-10": .fail], response: { replacing($0, " 404 Not Found\r\n", " 200 OK\r\n") }),
    HTTPMutantDesign(name: "http-405-without-allow", mistake: "answers 405 without Allow",
                     rejectedBy: ["HTTP-11": .fail], response: { replacing($0, "\r\nAllow:", "\r\nX-Unsaid:") }),
    HTTPMutantDesign(name: "http-waits-for-large-body", mistake: "reads a body of any size before answering",
                     rejectedBy: ["HTTP-13": .fail], configure: { $0.limits.body = 1 << 30 }),
    HTTPMutantDesign(name: "http-any-target-length", mistake: "takes request targets of any length",
                     rejectedBy: ["HTTP-14": .fail], configure: { $0.limits.requestLine = 1 << 20; $0.limits.headerSection = 1 << 21 }),
    HTTPMutantDesign(name: "http-any-header-size", mistake: "takes headers of any size",
                     rejectedBy: ["HTTP-15": .fail], configure: { $0.limits.headerSection = 1 << 20 }),
    HTTPMutantDesign(name: "http-unknown-method-400", mistake: "answers an unknown method 400 instead of 501",
                     rejectedBy: ["HTTP-16": .fail], response: { replacing($0, " 501 Not Implemented\r\n", " 400 Bad Request\r\n") }),
    HTTPMutantDesign(name: "http-other-version-400", mistake: "answers an unsupported version 400 instead of 505",
                     rejectedBy: ["HTTP-17": .fail], response: { replacing($0, " 505 HTTP Version Not Supported\r\n", " 400 Bad Request\r\n") }),
    HTTPMutantDesign(name: "http-one-at-a-time", mistake: "serves one connection to its end before the next (a loop server, no IO concurrency)",
                     rejectedBy: ["HTTP-18": .fail], oneAtATime: true),
    HTTPMutantDesign(name: "http-no-request-timeout", mistake: "waits for a request for ever (slowloris holds it)",
                     rejectedBy: ["HTTP-19": .fail], configure: { $0.requestSeconds = 3600 }),
    HTTPMutantDesign(name: "http-no-connection-limit", mistake: "accepts connections without a limit",
                     rejectedBy: ["HTTP-20": .fail], configure: { $0.maxConnections = 1 << 20 }),
    HTTPMutantDesign(name: "http-drops-on-sigterm", mistake: "closes every connection at SIGTERM, downloads under way cut",
                     rejectedBy: ["HTTP-21": .fail], configure: { $0.graceSeconds = 0 }),
    ]
}

/// The HTTP server mutants, each bound to the spec with its own server.
var httpServerMutants: [Mutant] {
    httpDesigns.map { Mutant($0.name, $0.mistake, rejectedBy: $0.rejectedBy, HTTPServerSpec(MutantHTTPServer(name: $0.name))) }
}

/// Where a request's first line ends (after its CRLF).
func firstLineEnd(_ bytes: [UInt8]) -> Int? {
    firstRange(of: [13, 10], in: bytes)?.upperBound
}

/// The request target's bytes in a request's first line.
func requestTarget(_ bytes: [UInt8]) -> Range<Int>? {
    guard let first = bytes.firstIndex(of: UInt8(ascii: " ")),
          let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: " ")) else { return nil }
    return (first + 1)..<second
}

/// `%XY` sequences turned into their bytes.
func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
           let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
            out.append(value)
            index += 3
        } else {
            out.append(bytes[index])
            index += 1
        }
    }
    return out
}

/// `mutant-runner --http-server NAME --root DIR --port N --request-seconds S --max-connections N`.
func runHTTPServerMutant(_ arguments: [String]) -> Never {
    func fail(_ message: String, code: Int32) -> Never {
        var line = "mutant-runner: \(message)\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(code)
    }
    let usage = "usage: mutant-runner --http-server NAME --root DIR --port N --request-seconds S --max-connections N"
    guard arguments.count == 9, let design = httpDesigns.first(where: { $0.name == arguments[0] }),
          arguments[1] == "--root", arguments[3] == "--port", let port = UInt16(arguments[4]),
          arguments[5] == "--request-seconds", let seconds = Double(arguments[6]),
          arguments[7] == "--max-connections", let connections = Int(arguments[8]) else { fail(usage, code: 64) }
    var configuration = HTTPServer.Configuration()
    configuration.requestSeconds = seconds
    configuration.maxConnections = connections
    design.configure(&configuration)
    do {
        let root = arguments[2]
        let server = try HTTPServer(root: design.noJail ? "/" : root, port: design.needsProxy ? 0 : port, configuration: configuration)
        server.routeTime()
        server.routeEcho()
        guard design.needsProxy else {
            print("listening on 127.0.0.1:\(server.port)")
            fflush(cs_stdout())
            try server.serve()
            exit(0)
        }
        let serving = Shared(server)
        Thread.detachNewThread { try? serving.value.serve() }
        var proxy = MutantProxy(upstream: server.port, oneAtATime: design.oneAtATime, neverCloses: design.neverCloses)
        proxy.request = design.noJail ? { @Sendable bytes in jailless(bytes, root: root) } : design.request
        proxy.response = design.response
        try proxy.run(port: port)
    } catch {
        fail("\(error)", code: 1)
    }
}

/// The naive server's path: root + path, ".." collapsed as text, for a server that serves "/".
private func jailless(_ bytes: [UInt8], root: String) -> [UInt8] {
    guard let target = requestTarget(bytes) else { return bytes }
    let path = String(decoding: percentDecoded(Array(bytes[target].prefix { $0 != UInt8(ascii: "?") })), as: UTF8.self)
    var segments: [Substring] = []
    for segment in (root + "/" + path).split(separator: "/") {
        if segment == ".." { _ = segments.popLast() } else if segment != "." { segments.append(segment) }
    }
    let joined = "/" + segments.joined(separator: "/")
    let encoded = joined.utf8.flatMap { byte -> [UInt8] in
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "%") ? Array(String(format: "%%%02X", byte).utf8) : [byte]
    }
    return Array(bytes[..<target.lowerBound]) + encoded + Array(bytes[target.upperBound...])
}
