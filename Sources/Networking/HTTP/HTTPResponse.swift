import Conformance
import Glibc

/// What the server sends for a request: a status, header fields and a body (course: HTTPServer
/// v2.0's response: the status line, the headers, a blank line, the data). Content-Length, Date,
/// Server and Connection are the server's to add.
public struct HTTPResponse: Sendable {
    /// Where the body's bytes come from.
    public enum Body: Sendable {
        case bytes([UInt8])
        /// `length` bytes of an open file from `offset`, sent with sendfile(2); the server closes
        /// the descriptor once they are sent (or the connection ends).
        case file(descriptor: CInt, offset: Int, length: Int)

        public var count: Int {
            switch self {
            case .bytes(let bytes): bytes.count
            case .file(_, _, let length): length
            }
        }
    }

    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(_ status: HTTPStatus, headers: [(name: String, value: String)] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text body with its Content-Type.
    public init(_ status: HTTPStatus, contentType: String, text: String) {
        self.init(status, headers: [("Content-Type", contentType)], body: .bytes(Array(text.utf8)))
    }

    /// The small page of an error: its status and why, for a person reading it in a browser.
    public static func error(_ status: HTTPStatus, _ reason: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        let title = "\(status.code) \(status.reason)"
        let page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(title)</title></head>"
            + "<body><h1>\(title)</h1><p>\(HTML.escape(reason))</p></body></html>\n"
        var response = HTTPResponse(status, contentType: "text/html; charset=utf-8", text: page)
        response.headers += headers
        return response
    }

    /// The status line and header fields, ending in the blank line; `Content-Length` is the body's.
    /// Built as bytes with room for a small body after it (the connection sends both at once).
    func head(version: HTTPRequest.Version, keepAlive: Bool, date: String) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(256 + (body.bytes?.count ?? 0))
        func line(_ parts: String...) {
            for part in parts { head += part.utf8 }
            head += "\r\n".utf8
        }
        line(version == .http10 ? "HTTP/1.0 " : "HTTP/1.1 ", String(status.code), " ", status.reason)
        line("Date: ", date)
        line("Server: concurrency-spec")
        for (name, value) in headers { line(name, ": ", value) }
        if status != .notModified { line("Content-Length: ", String(body.count)) }
        if !keepAlive {
            line("Connection: close")
        } else if version == .http10 {
            line("Connection: keep-alive")
        }
        line()
        return head
    }
}

/// Escaping text into HTML, so a name or a message shows as text and never as markup.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
