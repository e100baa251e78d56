// ftp-server --root DIR --port N: the course's FTP file server, speaking RFC 959 FTP (passive mode
// only) on 127.0.0.1 so that curl, Python's ftplib and `ftp-client` can list, download and upload
// the files of DIR. Prints `listening on 127.0.0.1:PORT` first (port 0 picks a free one), serves
// each client on a thread of its own (`--model thread`, the default) or a process of its own
// (`--model process`), and on SIGINT or SIGTERM ends every session and exits 0.
import CSystem
import Conformance
import Glibc
import Networking

let usage = """
    usage: ftp-server --root DIR --port N (0 picks a free port) [--model thread|process] [--users FILE]
           [--no-anonymous] [--max-clients N] [--max-upload-bytes N] [--idle-seconds S] [--data-seconds S]
      --users FILE: lines of NAME:PASSWORD, users who may log in besides anonymous
    """

func fail(_ message: String, code: Int32) -> Never {
    var line = "ftp-server: \(message)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

func positive(_ text: String, _ option: String) -> Int {
    guard let value = Int(text), value > 0 else { fail("\(option) must be a positive whole number, not '\(text)'\n\(usage)", code: 64) }
    return value
}

func seconds(_ text: String, _ option: String) -> Double {
    guard let value = Double(text), value > 0, value.isFinite else { fail("\(option) must be a positive number, not '\(text)'\n\(usage)", code: 64) }
    return value
}

/// NAME:PASSWORD lines; blank lines and lines starting with # are skipped.
func users(from path: String) -> [String: String] {
    guard let file = fopen(path, "r") else { fail("cannot read --users \(path): \(Errno.current)", code: 66) }
    defer { fclose(file) }
    var users: [String: String] = [:]
    var number = 0
    while let line = readLine(from: file) {
        number += 1
        if line.isEmpty || line.hasPrefix("#") { continue }
        guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
            fail("\(path):\(number): not NAME:PASSWORD", code: 65)
        }
        users[String(line[..<colon])] = String(line[line.index(after: colon)...])
    }
    return users
}

func readLine(from file: UnsafeMutablePointer<FILE>) -> String? {
    var line: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(line) }
    let count = getline(&line, &capacity, file)
    guard count >= 0, let line else { return nil }
    let bytes = UnsafeRawBufferPointer(start: line, count: count)
    return String(decoding: bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...], as: UTF8.self)
}

var root: String?
var port: UInt16?
var configuration = FTPServer.Configuration()
var arguments = CommandLine.arguments.dropFirst()
while let option = arguments.popFirst() {
    if option == "--no-anonymous" {
        configuration.allowsAnonymous = false
        continue
    }
    guard let value = arguments.popFirst() else { fail("\(option) needs a value\n\(usage)", code: 64) }
    switch option {
    case "--root": root = value
    case "--port":
        guard let number = UInt16(value) else { fail("'\(value)' is not a port (0 ... 65535)\n\(usage)", code: 64) }
        port = number
    case "--model":
        guard let model = FTPServer.Model(rawValue: value) else { fail("--model is thread or process, not '\(value)'\n\(usage)", code: 64) }
        configuration.model = model
    case "--users": configuration.users = users(from: value)
    case "--max-clients": configuration.maxClients = positive(value, option)
    case "--max-upload-bytes": configuration.maxUploadBytes = positive(value, option)
    case "--idle-seconds": configuration.idleSeconds = seconds(value, option)
    case "--data-seconds": configuration.dataSeconds = seconds(value, option)
    default: fail("unknown option '\(option)'\n\(usage)", code: 64)
    }
}
guard let root, let port else { fail(usage, code: 64) }
if !configuration.allowsAnonymous && configuration.users.isEmpty { fail("--no-anonymous without --users: no one could log in", code: 64) }

do {
    // A client gone in the middle of a sendfile(2) must be an error on its connection, not SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let server = try FTPServer(root: root, port: port, configuration: configuration)
    print("listening on 127.0.0.1:\(server.port)")
    fflush(cs_stdout())
    server.serve()
} catch {
    fail("\(error)", code: 1)
}
