/// One HTTP/1.x request as the server received it (course: HTTPServer v2.0, what `BaseHTTPRequestHandler`
/// gives a handler as `command`, `path`, `request_version`, `headers` and `rfile`).
public struct HTTPRequest: Sendable, Equatable {
    /// The protocol versions a request can carry.
    public enum Version: String, Sendable {
        case http10 = "HTTP/1.0"
        case http11 = "HTTP/1.1"
    }

    /// As sent: `GET`, `HEAD`, `POST` ... (case-sensitive, RFC 9110 section 9.1).
    public let method: String
    /// The request target as sent, e.g. `/docs/a%20b.html?x=1`.
    public let target: String
    /// The target's path, percent-decoded once: `/docs/a b.html`.
    public let path: String
    /// What follows `?` in the target, not decoded; nil without a `?`.
    public let query: String?
    public let version: Version
    public let headers: HTTPHeaders
    /// The body: Content-Length bytes, or the chunks of a chunked body joined.
    public let body: [UInt8]

    /// Whether the connection stays open after the response: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive` (RFC 9112 section 9.3).
    public var keepsAlive: Bool {
        let options = headers.values("Connection").flatMap { $0.split(separator: ",") }
            .map { trimmingWhitespace($0).lowercased() }
        switch version {
        case .http11: return !options.contains("close")
        case .http10: return options.contains("keep-alive")
        }
    }

    /// The query's `name=value` pairs, each percent-decoded (`+` as a space, as forms send it);
    /// nil when a pair is not valid percent-encoding.
    public var queryItems: [(name: String, value: String)]? {
        guard let query, !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in PercentDecoding.decode(String(text.map { $0 == "+" ? " " : $0 })) }
            guard let name = decode(parts[0]), let value = parts.count > 1 ? decode(parts[1]) : "" else { return nil }
            items.append((name, value))
        }
        return items
    }
}

/// A request's header fields in the order they came; names compare without case (RFC 9110 section 5.1).
public struct HTTPHeaders: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    /// The first value of `name`, or nil.
    public subscript(_ name: String) -> String? { fields.first { $0.name.caseInsensitiveEquals(name) }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    mutating func append(_ name: String, _ value: String) { fields.append((name, value)) }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Percent-decoding (RFC 3986 section 2.1), done exactly once: `%2e` becomes `.` and stays one.
public enum PercentDecoding {
    /// `text` with each `%XX` replaced by its byte; nil when a `%` is not followed by two hex
    /// digits, or the bytes are not UTF-8, or decode to a NUL.
    public static func decode(_ text: some StringProtocol) -> String? {
        if !text.utf8.contains(UInt8(ascii: "%")) { return text.utf8.contains(0) ? nil : String(text) }
        var bytes: [UInt8] = []
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard input.count >= 2, let high = hexValue(input[input.startIndex]),
                  let low = hexValue(input[input.startIndex + 1]) else { return nil }
            bytes.append(high << 4 | low)
            input = input.dropFirst(2)
        }
        guard !bytes.contains(0), let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// ASCII case-insensitive equality, as header names compare.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { lowerASCII($0) == lowerASCII($1) }
    }
}

/// `text` without the spaces and tabs (HTTP's optional whitespace, OWS) at either end.
func trimmingWhitespace(_ text: some StringProtocol) -> String {
    let isWhitespace = { (character: Character) in character == " " || character == "\t" }
    guard let first = text.firstIndex(where: { !isWhitespace($0) }), let last = text.lastIndex(where: { !isWhitespace($0) })
    else { return "" }
    return String(text[first...last])
}

private func lowerASCII(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
}
