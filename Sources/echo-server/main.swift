// echo-server --model loop|udp|fork|thread|select|poll|epoll|coroutine|async --port N: the line echo server of
// the course's server models. Prints `listening on 127.0.0.1:PORT` first (port 0 picks a free
// one), serves until SIGINT or SIGTERM, then closes every socket and exits 0.
import CSystem
import Conformance
import Glibc
import Networking

let models = ServerModel.allCases.map(\.rawValue).joined(separator: "|")
let usage = "usage: echo-server --model \(models) --port N (0 picks a free port)"

func fail(_ message: String, code: Int32) -> Never {
    var line = "echo-server: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

var model: ServerModel?
var port: UInt16?
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(option) needs a value\n\(usage)", code: 64) }
    switch option {
    case "--model":
        guard let chosen = ServerModel(rawValue: value) else { fail("unknown model '\(value)'\n\(usage)", code: 64) }
        model = chosen
    case "--port":
        guard let number = UInt16(value) else { fail("'\(value)' is not a port (0 ... 65535)\n\(usage)", code: 64) }
        port = number
    default:
        fail("unknown option '\(option)'\n\(usage)", code: 64)
    }
}
guard let model, let port else { fail(usage, code: 64) }

do {
    let server: any EchoServing = switch model {
    case .loop: try LoopEchoServer(port: port)
    case .udp: try UDPEchoServer(port: port)
    case .fork: try ForkEchoServer(port: port)
    case .thread: try ThreadEchoServer(port: port)
    case .select, .poll, .epoll: try SelectorEchoServer(IOMechanism(rawValue: model.rawValue)!, port: port)
    case .coroutine: try CoroutineEchoServer(port: port)
    case .async: try AsyncEchoServer(port: port)
    }
    // The first line, flushed: the spec and the benchmarks wait for it.
    print("listening on 127.0.0.1:\(server.port)")
    fflush(cs_stdout())
    try server.serve()
} catch {
    fail("\(error)", code: 1)
}
