import Foundation
import Grading

/// The HTTP server (HTTPServer v2.0) against its peers: wrk with 64 keep-alive connections on a
/// small static file (613 bytes, about nginx's welcome page), each server started as its own
/// process (`RunningServer`, so each prints `listening on 127.0.0.1:PORT` first) serving the same
/// folder: the reference's `http-server` (one thread on epoll), nginx with one worker, gevent's
/// pywsgi and CPython's ThreadingHTTPServer (Benchmarks/peers/http_*.py). The servers take turns,
/// 3 rounds of 2 s each after 1 s of warm-up, and each figure is the median of its rounds, as the
/// echo rows do it. A round with an error or a non-2xx answer fails its server's figure.
enum HTTPBenchmarks {
    /// The servers, serving `root`; the first is the reference.
    static func servers(serving root: String) -> [EchoServer] {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return [
            EchoServer(name: "reference", program: here.appendingPathComponent("http-server").path, arguments: ["--root", root]),
            EchoServer(name: "nginx (1 worker)", program: "python3.11", arguments: ["\(peerFolder)/http_nginx.py", "--root", root]),
            EchoServer(name: "gevent pywsgi (CPython)", program: "python3.11", arguments: ["\(peerFolder)/http_pywsgi.py", "--root", root]),
            EchoServer(name: "CPython ThreadingHTTPServer", program: "python3.11",
                       arguments: ["\(peerFolder)/http_threading.py", "--root", root]),
        ]
    }

    /// Every server but the reference, by name.
    static let peerNames = servers(serving: "").dropFirst().map(\.name)

    /// Requests per second of every server, by name, measured in turns on a fresh folder holding
    /// index.html of 613 bytes.
    static func requestsInTurns() -> Figures {
        let names = ["reference"] + peerNames
        let page = Data(("<!DOCTYPE html>" + String(repeating: "x", count: 597) + "\n").utf8)
        return inTemporaryFolder("http-bench", for: names, fill: { try page.write(to: URL(fileURLWithPath: "\($0)/index.html")) }) { root in
            let servers = servers(serving: root)
            return inTurns(names, rounds: 3) { name in try requestsOnce(servers.first { $0.name == name }!) }
        }
    }

    /// One round: wrk's requests per second over 2 s, after 1 s of warm-up on the same server.
    private static func requestsOnce(_ server: EchoServer) throws -> Double {
        guard let wrk = Spawn.which("wrk") else { throw Missing("wrk not found (Debian: apt-get install wrk)") }
        if server.name.hasPrefix("nginx"), Spawn.which("nginx") == nil, !FileManager.default.fileExists(atPath: "/usr/sbin/nginx") {
            throw Missing("nginx not found (Debian: apt-get install nginx)")
        }
        let running = try RunningServer(server)
        defer { running.stop() }
        let url = "http://127.0.0.1:\(running.port)/index.html"
        _ = try Spawn.run(wrk, ["-t1", "-c64", "-d1s", url], timeout: 60)
        let measured = try Spawn.run(wrk, ["-t1", "-c64", "-d2s", url], timeout: 60)
        let output = measured.stdout
        guard measured.succeeded, !output.contains("Non-2xx"), !output.contains("Socket errors"),
              let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
              let value = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces)) else {
            throw BenchmarkError("wrk against \(server.name): \(output.split(separator: "\n").suffix(3).joined(separator: " | "))")
        }
        return value
    }
}
