// chat-client HOST PORT [--keepalive-seconds S]: the course's chat room client (群聊聊天室). Asks
// for a name until the server takes one, then shows the others' messages while it sends each
// line typed; "quit", the end of input (Ctrl-D) or Ctrl-C leaves. Sends a keep-alive every S
// seconds (10 by default), well within the server's default idle time of 60 s.
import Conformance
import Glibc
import Networking

let usage = "usage: chat-client HOST PORT [--keepalive-seconds S] (HOST: an IPv4 address; S: \(ChatLimits.keepAliveSeconds) by default)"

func fail(_ message: String, code: Int32) -> Never {
    var line = "chat-client: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var keepAliveSeconds = ChatLimits.keepAliveSeconds
if arguments.count == 4, arguments[2] == "--keepalive-seconds" {
    guard let seconds = Double(arguments[3]), seconds > 0, seconds < 1e9 else { fail("'\(arguments[3])' is not a number of seconds above 0\n\(usage)", code: 64) }
    keepAliveSeconds = seconds
    arguments.removeLast(2)
}
guard arguments.count == 2 else { fail(usage, code: 64) }
guard let port = UInt16(arguments[1]), port != 0 else { fail("'\(arguments[1])' is not a port (1 ... 65535)\n\(usage)", code: 64) }

do {
    try ChatClient(server: SocketAddress(host: arguments[0], port: port), keepAliveSeconds: keepAliveSeconds).run()
} catch {
    fail("\(error)", code: 1)
}
