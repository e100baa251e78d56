import Glibc

/// A response as the checks read it off the wire.
struct WireResponse {
    /// "HTTP/1.1" or "HTTP/1.0".
    let version: String
    let status: Int
    /// The head's fields in order, names as sent.
    let fields: [(name: String, value: String)]
    let body: [UInt8]

    /// The first field named `name`, compared without case.
    func header(_ name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    var statusLine: String { "\(version) \(status)" }
}

/// One client connection of the HTTP checks: raw requests out, responses read one by one, the bytes
/// after a response kept for the next (pipelining).
final class HTTPClient {
    let socket: LoopbackSocket
    private var pending: [UInt8] = []
    private var ended = false

    init(port: UInt16) throws { socket = try LoopbackSocket.connected(to: port) }

    func send(_ text: String) throws { try socket.send(Array(text.utf8)) }

    /// Sends `request` and reads its response.
    func exchange(_ request: String, bodiless: Bool = false, within seconds: Double = 10, _ what: String) throws -> WireResponse {
        try send(request)
        return try response(bodiless: bodiless, within: seconds, what)
    }

    /// Reads one response within `seconds`: its head, then a body of Content-Length bytes, chunked,
    /// or up to the end of the connection; none for HEAD (`bodiless`), 1xx, 204 and 304.
    func response(bodiless: Bool = false, within seconds: Double = 10, _ what: String) throws -> WireResponse {
        do {
            return try response(bodiless: bodiless, by: Deadline(after: seconds), what)
        } catch is TimedOut {
            throw CheckFailure("\(what): no whole response within \(seconds.formatted()) s (\(pending.count) bytes came: \"\(printable(pending))\")")
        }
    }

    /// `fill` found the deadline passed.
    private struct TimedOut: Error {}

    private func response(bodiless: Bool, by deadline: Deadline, _ what: String) throws -> WireResponse {
        let head = try bytes(upTo: Array("\r\n\r\n".utf8), deadline, "\(what): the response's head")
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw CheckFailure("\(what): the response", expected: "a status line \"HTTP/1.1 NNN reason\"", actual: "\"\(lines[0])\"")
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw CheckFailure("\(what): a header line without a colon: \"\(line)\"") }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingSpaces))
        }
        let response = { (body: [UInt8]) in WireResponse(version: String(parts[0]), status: status, fields: fields, body: body) }
        if bodiless || status / 100 == 1 || status == 204 || status == 304 { return response([]) }
        if let length = fields.first(where: { $0.name.lowercased() == "content-length" }).flatMap({ Int($0.value) }) {
            return response(try bytes(count: length, deadline, "\(what): a body of \(length) bytes"))
        }
        if fields.contains(where: { $0.name.lowercased() == "transfer-encoding" && $0.value.lowercased().contains("chunked") }) {
            return response(try chunkedBody(deadline, what))
        }
        while try fill(deadline) {}
        defer { pending = [] }
        return response(pending)
    }

    /// Whether the server ends the connection within `seconds` without sending anything more.
    func closes(within seconds: Double) throws -> Bool {
        let deadline = Deadline(after: seconds)
        while pending.isEmpty {
            guard !ended else { return true }
            guard socket.await(POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) else { return false }
            guard let piece = try? socket.receive(maximum: 1 << 16) else { return true }  // a reset ends it too
            if piece.isEmpty { return true }
            pending += piece
        }
        return false
    }

    /// Reads more within the deadline; false once the connection has ended.
    private func fill(_ deadline: Deadline) throws -> Bool {
        guard !ended else { return false }
        guard socket.await(POLLIN, seconds: Double(deadline.remainingMilliseconds()) / 1000) else { throw TimedOut() }
        let piece = (try? socket.receive(maximum: 1 << 16)) ?? []
        if piece.isEmpty { ended = true }
        pending += piece
        return !piece.isEmpty
    }

    private func bytes(upTo end: [UInt8], _ deadline: Deadline, _ what: String) throws -> [UInt8] {
        while true {
            if let range = firstRange(of: end, in: pending) {
                let head = Array(pending[..<range.lowerBound])
                pending.removeFirst(range.upperBound)
                return head
            }
            guard try fill(deadline) else {
                throw CheckFailure("\(what): the connection ended after \(pending.count) bytes: \"\(printable(pending))\"")
            }
        }
    }

    private func bytes(count: Int, _ deadline: Deadline, _ what: String) throws -> [UInt8] {
        while pending.count < count {
            guard try fill(deadline) else { throw CheckFailure("\(what): the connection ended after \(pending.count)") }
        }
        defer { pending.removeFirst(count) }
        return Array(pending[..<count])
    }

    private func chunkedBody(_ deadline: Deadline, _ what: String) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let line = String(decoding: try bytes(upTo: [13, 10], deadline, "\(what): a chunk's size"), as: UTF8.self)
            guard let size = Int(line.split(separator: ";")[0].trimmingSpaces, radix: 16) else {
                throw CheckFailure("\(what): a chunk size that is not hexadecimal: \"\(line)\"")
            }
            if size == 0 {
                while !(try bytes(upTo: [13, 10], deadline, "\(what): the trailer")).isEmpty {}
                return body
            }
            body += try bytes(count: size, deadline, "\(what): a chunk of \(size) bytes")
            _ = try bytes(count: 2, deadline, "\(what): the CRLF after a chunk")
        }
    }
}

/// Where `needle` first occurs in `haystack` (also the HTTP mutants' proxies use it).
package func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
    guard haystack.count >= needle.count else { return nil }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
    }
    return nil
}

/// At most 200 bytes as text, control characters escaped: what a failure message shows of a response.
func printable(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.prefix(200), as: UTF8.self).unicodeScalars.map { scalar in
        scalar == "\r" ? "\\r" : scalar == "\n" ? "\\n" : scalar.value < 0x20 ? "?" : String(scalar)
    }.joined()
}

extension StringProtocol {
    /// Without the spaces and tabs at either end.
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
