// chat-server --port N [--idle-seconds S]: the course's UDP chat room (群聊聊天室). Prints
// `listening on 127.0.0.1:PORT` first (port 0 picks a free one); each line typed on its stdin
// is an announcement to every member ("管理员消息: ..."); a member silent for S seconds (60 by
// default) is dropped. Serves until SIGINT or SIGTERM, then exits 0.
import CSystem
import Conformance
import Glibc
import Networking

let usage = "usage: chat-server --port N [--idle-seconds S] (port 0 picks a free one; S: \(ChatLimits.idleSeconds) by default)"

func fail(_ message: String, code: Int32) -> Never {
    var line = "chat-server: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

var port: UInt16?
var idleSeconds = ChatLimits.idleSeconds
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(option) needs a value\n\(usage)", code: 64) }
    switch option {
    case "--port":
        guard let number = UInt16(value) else { fail("'\(value)' is not a port (0 ... 65535)\n\(usage)", code: 64) }
        port = number
    case "--idle-seconds":
        guard let seconds = Double(value), seconds > 0, seconds < 1e9 else { fail("'\(value)' is not a number of seconds above 0\n\(usage)", code: 64) }
        idleSeconds = seconds
    default:
        fail("unknown option '\(option)'\n\(usage)", code: 64)
    }
}
guard let port else { fail(usage, code: 64) }

do {
    let server = try ChatServer(port: port, idleSeconds: idleSeconds)
    print("listening on 127.0.0.1:\(server.port)")
    fflush(cs_stdout())
    try server.serve()
} catch {
    fail("\(error)", code: 1)
}
