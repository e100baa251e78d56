// http-server --root DIR --port N: the course's HTTPServer v2.0, serving the folder DIR over HTTP/1.1 on
// 127.0.0.1 with one thread on epoll. Prints `listening on 127.0.0.1:PORT` first (port 0 picks a free
// one), serves until SIGINT or SIGTERM, lets the responses in flight finish, then exits 0.
//
// Besides the files, two routes show the class's handlers ("non-page requests"): GET /api/time answers
// JSON, and /api/echo answers a GET or a POST with what it received (method, path, query, headers, body).
import CSystem
import Conformance
import Glibc
import Networking

let usage = "usage: http-server --root DIR --port N (0 picks a free port) [--idle-seconds S] [--request-seconds S] [--max-connections N]"

func fail(_ message: String, code: Int32) -> Never {
    var line = "http-server: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

/// `text` as a positive number of seconds, or the usage.
func seconds(_ text: String, _ option: String) -> Double {
    guard let value = Double(text), value > 0, value.isFinite else { fail("\(option) must be a positive number, not '\(text)'\n\(usage)", code: 64) }
    return value
}

var root: String?
var port: UInt16?
var configuration = HTTPServer.Configuration()
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(option) needs a value\n\(usage)", code: 64) }
    switch option {
    case "--root": root = value
    case "--port":
        guard let number = UInt16(value) else { fail("'\(value)' is not a port (0 ... 65535)\n\(usage)", code: 64) }
        port = number
    case "--idle-seconds": configuration.idleSeconds = seconds(value, option)
    case "--request-seconds": configuration.requestSeconds = seconds(value, option)
    case "--max-connections":
        guard let count = Int(value), count > 0 else { fail("--max-connections must be a positive whole number, not '\(value)'\n\(usage)", code: 64) }
        configuration.maxConnections = count
    default:
        fail("unknown option '\(option)'\n\(usage)", code: 64)
    }
}
guard let root, let port else { fail(usage, code: 64) }

do {
    let server = try HTTPServer(root: root, port: port, configuration: configuration)
    server.routeTime()
    server.routeEcho()
    // The first line, flushed: the checks and the benchmarks wait for it.
    print("listening on 127.0.0.1:\(server.port)")
    fflush(cs_stdout())
    try server.serve()
} catch {
    fail("\(error)", code: 1)
}
