import CSystem
import Dispatch
import Foundation
import Glibc
import Networking

/// The proxy in front of a mutant server (HTTP, FTP's control connection): it prints the line the
/// spec waits for, then relays each client to the server, a thread per direction, rewriting the
/// bytes each way with `request` and `response`.
struct MutantProxy {
    let upstream: UInt16
    /// Serves one connection to its end before it accepts the next.
    let oneAtATime: Bool
    /// Leaves the client's connection open when the server closes it.
    let neverCloses: Bool
    /// Rewrites what each read from a client holds before the server gets it.
    var request: (@Sendable ([UInt8]) -> [UInt8])?
    /// Rewrites what each read from the server holds before the client gets it.
    var response: (@Sendable ([UInt8]) -> [UInt8])?

    init(upstream: UInt16, oneAtATime: Bool, neverCloses: Bool) {
        self.upstream = upstream
        self.oneAtATime = oneAtATime
        self.neverCloses = neverCloses
    }

    func run(port: UInt16) throws -> Never {
        let listener = try SocketFactory().tcp()
        try listener.setReuseAddress(true)
        try listener.bind(.loopback(port))
        try listener.listen(backlog: 512)
        print("listening on 127.0.0.1:\(try listener.localAddress().port)")
        fflush(cs_stdout())
        while true {
            let client = try listener.accept().0
            let server = try SocketFactory().tcp()
            try server.connect(.loopback(upstream))
            let group = DispatchGroup()
            let clientBox = Shared(client), serverBox = Shared(server)
            let (request, response, closing) = (request, response, !neverCloses)
            Thread.detachNewThread {
                group.enter()
                pump(from: clientBox.value, to: serverBox.value, request, closing: true)
                group.leave()
            }
            Thread.detachNewThread {
                group.enter()
                pump(from: serverBox.value, to: clientBox.value, response, closing: closing)
                group.leave()
            }
            if oneAtATime {
                usleep(1000)
                group.wait()
            }
        }
    }
}

/// A value handed to another thread: the server to the thread that serves, a connection's sockets
/// to the two threads of the proxy (each reads one and writes the other).
final class Shared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Copies what `source` sends to `destination`, rewritten, until `source` ends or fails; then ends
/// `destination`'s writing side (unless `closing` is false).
func pump(from source: Networking.Socket, to destination: Networking.Socket, _ rewrite: (([UInt8]) -> [UInt8])?, closing: Bool) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        guard let count = try? buffer.withUnsafeMutableBytes({ try source.receive(into: $0) }), count > 0 else { break }
        let bytes = rewrite.map { $0(Array(buffer[..<count])) } ?? Array(buffer[..<count])
        guard (try? destination.sendAll(bytes)) != nil else { break }
    }
    if closing { try? destination.shutdown(.writing) }
}
