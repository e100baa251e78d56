/// Reads HTTP/1.x requests (RFC 9112) from the bytes of one connection, as they arrive: a
/// non-blocking server appends what each `recv` gave and takes off every complete request, so
/// pipelined requests come out one after the other and a request split anywhere waits for the rest.
///
/// Every malformed or oversized request ends in an `HTTPRequestError` with the status to answer,
/// found as early as the bytes allow: a request line longer than `Limits.requestLine` is 414 before
/// its end arrives, a header section over its limit 431, a declared body over its limit 413 before
/// the body is read. CPython's http.server allows 64 KiB lines and 100 header fields; the limits
/// here are nginx's (8 KiB for the request line), so a slow or hostile client buffers little.
public struct HTTPRequestParser {
    /// How large the parts of a request may be.
    public struct Limits: Sendable {
        public var requestLine = 8 * 1024
        public var headerSection = 16 * 1024
        public var headerFields = 100
        public var body = 1024 * 1024

        public init() {}
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// Where the request being read starts in `buffer`.
    private var start = 0

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// The bytes received and not yet taken as requests.
    public var pendingCount: Int { buffer.count - start }

    /// Adds bytes received on the connection.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, taken off the bytes; nil while it is not complete. After an error
    /// the connection is to be answered and closed: what follows cannot be trusted to start a request.
    public mutating func next() throws(HTTPRequestError) -> HTTPRequest? {
        var reader = Reader(bytes: buffer, position: start)
        guard let request = try reader.request(limits) else { return nil }
        start = reader.position
        if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
        return request
    }
}

/// Why a request cannot be served, and the status to answer it with.
public struct HTTPRequestError: Error, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    public let reason: String

    init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(status.reason): \(reason)" }
}

/// One pass over the buffered bytes from the start of a request.
private struct Reader {
    let bytes: [UInt8]
    var position: Int

    mutating func request(_ limits: HTTPRequestParser.Limits) throws(HTTPRequestError) -> HTTPRequest? {
        // RFC 9112 section 2.2: empty lines before a request line are ignored.
        while position < bytes.count, bytes[position] == UInt8(ascii: "\r") || bytes[position] == UInt8(ascii: "\n") {
            position += 1
        }
        guard let requestLine = try line(limit: limits.requestLine, tooLong: .uriTooLong, "the request line") else { return nil }
        let (method, target, version) = try Self.parseRequestLine(requestLine)
        var headers = HTTPHeaders()
        let sectionStart = position
        while true {
            let used = position - sectionStart
            guard let field = try line(limit: limits.headerSection - used, tooLong: .requestHeaderFieldsTooLarge, "the header section") else {
                return nil
            }
            if field.isEmpty { break }
            guard headers.fields.count < limits.headerFields else {
                throw HTTPRequestError(.requestHeaderFieldsTooLarge, "more than \(limits.headerFields) header fields")
            }
            let (name, value) = try Self.parseField(field)
            headers.append(name, value)
        }
        if version == .http11 && headers.values("Host").count != 1 {
            throw HTTPRequestError(.badRequest, "an HTTP/1.1 request needs exactly one Host header field")
        }
        guard let body = try body(headers, limits) else { return nil }
        let (path, query) = try Self.splitTarget(target, method: method)
        return HTTPRequest(method: method, target: target, path: path, query: query, version: version, headers: headers, body: body)
    }

    /// The next line without its CRLF (or bare LF), or nil when its end has not arrived; longer than
    /// `limit` bytes is `tooLong`. Bytes, not text: the request line and the fields are taken apart
    /// byte by byte (the HTTP grammar is ASCII) and only their parts made into strings.
    mutating func line(limit: Int, tooLong: HTTPStatus, _ what: String) throws(HTTPRequestError) -> ArraySlice<UInt8>? {
        let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n"))
        let length = (end ?? bytes.count) - position
        if length > limit { throw HTTPRequestError(tooLong, "\(what) is longer than \(max(0, limit)) bytes") }
        guard let end else { return nil }
        var line = bytes[position..<end]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        position = end + 1
        guard !line.contains(UInt8(ascii: "\r")), !line.contains(0) else {
            throw HTTPRequestError(.badRequest, "\(what) holds a stray CR or a NUL")
        }
        return line
    }

    /// `bytes` as text, or 400 naming `what` when they are not UTF-8.
    static func text(_ bytes: ArraySlice<UInt8>, _ what: String) throws(HTTPRequestError) -> String {
        // Decoding repairs what is not UTF-8 (as U+FFFD): when the text's bytes differ, it was not.
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {
            throw HTTPRequestError(.badRequest, "\(what) holds bytes that are not UTF-8")
        }
        return text
    }

    /// `METHOD SP request-target SP HTTP-version` (RFC 9112 section 3).
    static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPRequestError) -> (String, String, HTTPRequest.Version) {
        let space = UInt8(ascii: " ")
        guard let first = line.firstIndex(of: space), let second = line[(first + 1)...].firstIndex(of: space),
              !line[(second + 1)...].contains(space), first > line.startIndex, second > first + 1 else {
            throw HTTPRequestError(.badRequest, "the request line is not METHOD TARGET VERSION: \(String(decoding: line, as: UTF8.self).debugDescription)")
        }
        let (method, target, version) = (line[..<first], line[(first + 1)..<second], line[(second + 1)...])
        guard method.allSatisfy(isToken) else {
            throw HTTPRequestError(.badRequest, "the method \(String(decoding: method, as: UTF8.self).debugDescription) is not a token")
        }
        return (try text(method, "the method"), try text(target, "the request target"), try parseVersion(version))
    }

    /// `HTTP/1.0` and `HTTP/1.1`; a later 1.x is answered as 1.1 (RFC 9110 section 6.2), HTTP/2 and
    /// later with 505, anything else with 400 (as CPython's http.server).
    static func parseVersion(_ version: ArraySlice<UInt8>) throws(HTTPRequestError) -> HTTPRequest.Version {
        let byte = { (offset: Int) in version[version.startIndex + offset] }
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard version.count == 8, version.starts(with: "HTTP/".utf8), byte(6) == UInt8(ascii: "."),
              digits.contains(byte(5)), digits.contains(byte(7)) else {
            throw HTTPRequestError(.badRequest, "the version \(String(decoding: version, as: UTF8.self).debugDescription) is not HTTP/x.y")
        }
        if byte(5) != UInt8(ascii: "1") {
            throw HTTPRequestError(.httpVersionNotSupported, "\(String(decoding: version, as: UTF8.self)) is not served: HTTP/1.0 and HTTP/1.1 are")
        }
        return byte(7) == UInt8(ascii: "0") ? .http10 : .http11
    }

    /// `name: value`, the name a token right before the colon (RFC 9112 section 5), the value
    /// without surrounding spaces and tabs; a folded line (starting with whitespace) is refused.
    static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPRequestError) -> (String, String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon != line.startIndex, line[..<colon].allSatisfy(isToken) else {
            throw HTTPRequestError(.badRequest, "the header line \(String(decoding: line, as: UTF8.self).debugDescription) is not NAME: VALUE")
        }
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var value = line[(colon + 1)...]
        while let first = value.first, isBlank(first) { value = value.dropFirst() }
        while let last = value.last, isBlank(last) { value = value.dropLast() }
        return (try text(line[..<colon], "a field name"), try text(value, "a field value"))
    }

    /// A byte of an HTTP token (RFC 9110 section 5.6.2): methods and field names.
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// The body the headers announce: Content-Length bytes, or a chunked body; nil until it has all
    /// arrived. Both at once, or a transfer coding other than chunked, is refused (RFC 9112 section
    /// 6.1: the request could be read two ways).
    mutating func body(_ headers: HTTPHeaders, _ limits: HTTPRequestParser.Limits) throws(HTTPRequestError) -> [UInt8]? {
        let codings = headers.values("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !codings.isEmpty {
            guard lengths.isEmpty else { throw HTTPRequestError(.badRequest, "both Transfer-Encoding and Content-Length") }
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                throw HTTPRequestError(.notImplemented, "the transfer coding \(codings.joined(separator: ", ")) (only chunked is)")
            }
            return try chunkedBody(limit: limits.body)
        }
        guard let first = lengths.first else { return [] }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.count <= 18,
              first.allSatisfy(\.isASCIIDigit), let length = Int(first) else {
            throw HTTPRequestError(.badRequest, "Content-Length \(lengths.joined(separator: ", ")) is not one number")
        }
        guard length <= limits.body else {
            throw HTTPRequestError(.contentTooLarge, "a body of \(length) bytes, more than \(limits.body)")
        }
        guard bytes.count - position >= length else { return nil }
        defer { position += length }
        return Array(bytes[position..<(position + length)])
    }

    /// Chunks of `size-in-hex[;extension] CRLF data CRLF`, a last chunk of size 0, trailer lines
    /// (ignored) and an empty line.
    mutating func chunkedBody(limit: Int) throws(HTTPRequestError) -> [UInt8]? {
        var body: [UInt8] = []
        while true {
            guard let sizeLine = try line(limit: 1024, tooLong: .badRequest, "a chunk size line") else { return nil }
            let hex = String(decoding: sizeLine.prefix { $0 != UInt8(ascii: ";") }, as: UTF8.self)
            guard !hex.isEmpty, hex.utf8.count <= 15, hex.allSatisfy(\.isHexDigit), let size = Int(hex, radix: 16) else {
                throw HTTPRequestError(.badRequest, "the chunk size \(String(decoding: sizeLine, as: UTF8.self).debugDescription) is not hexadecimal")
            }
            if size == 0 { break }
            guard body.count + size <= limit else {
                throw HTTPRequestError(.contentTooLarge, "a chunked body of more than \(limit) bytes")
            }
            guard bytes.count - position >= size else { return nil }
            body += bytes[position..<(position + size)]
            position += size
            guard let end = try line(limit: 1, tooLong: .badRequest, "the end of a chunk") else { return nil }
            guard end.isEmpty else { throw HTTPRequestError(.badRequest, "a chunk is longer than its size") }
        }
        var trailers = 0
        while true {
            guard let trailer = try line(limit: 8 * 1024, tooLong: .requestHeaderFieldsTooLarge, "a trailer field") else { return nil }
            if trailer.isEmpty { return body }
            trailers += 1
            if trailers > 100 { throw HTTPRequestError(.requestHeaderFieldsTooLarge, "more than 100 trailer fields") }
        }
    }

    /// The path (percent-decoded once) and the raw query of a target in origin form (`/a?b`) or
    /// absolute form (`http://host/a?b`, RFC 9112 section 3.2.2); `*` for OPTIONS only.
    static func splitTarget(_ target: String, method: String) throws(HTTPRequestError) -> (String, String?) {
        if target == "*" {
            guard method == "OPTIONS" else { throw HTTPRequestError(.badRequest, "the target * is for OPTIONS only") }
            return ("*", nil)
        }
        // Byte by byte: the target is ASCII but for what a client sends unencoded.
        let slash = UInt8(ascii: "/")
        var rest = Substring(target)
        if rest.utf8.first != slash {
            for scheme in ["http://", "https://"] where rest.lowercased().hasPrefix(scheme) {
                rest = rest.dropFirst(scheme.count)
                rest = rest.utf8.firstIndex(of: slash).map { rest[$0...] } ?? "/"
            }
        }
        guard rest.utf8.first == slash else { throw HTTPRequestError(.badRequest, "the target \(target.debugDescription) does not start with /") }
        let question = rest.utf8.firstIndex(of: UInt8(ascii: "?"))
        let rawPath = question.map { rest[..<$0] } ?? rest
        guard let path = PercentDecoding.decode(rawPath) else {
            throw HTTPRequestError(.badRequest, "the path \(String(rawPath).debugDescription) is not valid percent-encoding of UTF-8")
        }
        return (path, question.map { String(rest[rest.utf8.index(after: $0)...]) })
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { (48...57).contains($0) } ?? false }
}
