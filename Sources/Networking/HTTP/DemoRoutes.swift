import Conformance
import Glibc

/// The two "non-page requests" of the course's HTTPServer v2.0 that `http-server` serves: handlers
/// registered on the class for a path, answering JSON.
extension HTTPServer {
    /// `/api/echo` answers a GET or a POST with what it received: `{"method", "path", "query" (null
    /// without one), "headers" (name and value pairs, in order), "body"}` (rule HTTP-7).
    public func routeEcho(at path: String = "/api/echo") {
        route(path, methods: ["GET", "POST"]) { request in
            let headers = request.headers.fields.map { "[\(JSON.quoted($0.name)), \(JSON.quoted($0.value))]" }.joined(separator: ", ")
            let body = String(decoding: request.body, as: UTF8.self)
            let text = "{\"method\": \(JSON.quoted(request.method)), \"path\": \(JSON.quoted(request.path)), "
                + "\"query\": \(request.query.map(JSON.quoted) ?? "null"), \"headers\": [\(headers)], \"body\": \(JSON.quoted(body))}\n"
            return HTTPResponse(.ok, contentType: "application/json", text: text)
        }
    }

    /// `/api/time` answers `{"unixTime": N}`.
    public func routeTime(at path: String = "/api/time") {
        route(path) { _ in HTTPResponse(.ok, contentType: "application/json", text: "{\"unixTime\": \(time(nil))}\n") }
    }
}
