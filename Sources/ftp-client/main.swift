// ftp-client HOST PORT: the course's FTP client (ftp 文件服务器: 使用print在客户端打印命令输入提示,引导操作).
// It logs in (anonymous, or USER and PASS from the environment's FTP_USER and FTP_PASSWORD), then
// prompts for commands until quit or the end of the input:
//
//   list [FOLDER]       the server's files
//   get NAME [LOCAL]    download NAME (into LOCAL, else into the current folder by its name)
//   put LOCAL [NAME]    upload the local file LOCAL (as NAME, else by its name)
//   quit
//
// Every server error is printed with its reply (`550 /x: no such file or folder`); large transfers
// show their progress on standard error. Exit status: 0 after quit, 1 if the connection was lost,
// 64 for bad arguments, 69 if the server cannot be reached.
import Conformance
import Glibc
import Networking

func say(_ text: String, to stream: Int32 = 1) {
    var line = text
    line.withUTF8 { _ = write(stream, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let port = UInt16(arguments[2]) else {
    say("usage: ftp-client HOST PORT   (HOST a dotted IPv4 address, e.g. 127.0.0.1)\n", to: 2)
    exit(64)
}

let environment = { (name: String) in getenv(name).map { String(cString: $0) } }
let client: FTPClient
do throws(FTPClient.Failure) {
    client = try FTPClient(host: arguments[1], port: port)
    try client.login(user: environment("FTP_USER") ?? "anonymous", password: environment("FTP_PASSWORD") ?? "anonymous@")
} catch {
    say("ftp-client: cannot log in to \(arguments[1]):\(port): \(error)\n", to: 2)
    exit(69)
}
say("connected: \(client.welcome.text)\n")

/// Shows a transfer's progress on standard error, at most once per percent (or MiB without a size).
final class Progress {
    private let name: String
    private var shown = -1

    init(_ name: String) { self.name = name }

    func update(_ bytes: Int, _ total: Int?) {
        guard let total, total >= 1 << 20 else { return }
        let percent = bytes * 100 / total
        guard percent != shown else { return }
        shown = percent
        say("\r\(name): \(bytes) of \(total) bytes (\(percent)%)" + (bytes == total ? "\n" : ""), to: 2)
    }
}

func baseName(_ path: String) -> String { String(path.split(separator: "/").last ?? Substring(path)) }

let menu = "commands: list [FOLDER] | get NAME [LOCAL] | put LOCAL [NAME] | quit\n"
say(menu)
while true {
    say("ftp> ")
    guard let line = readLine() else {
        client.quit()
        say("\n")
        exit(0)
    }
    let words = line.split(separator: " ").map(String.init)
    guard let verb = words.first?.lowercased() else { continue }
    do throws(FTPClient.Failure) {
        switch (verb, words.count) {
        case ("quit", 1), ("exit", 1), ("bye", 1):
            client.quit()
            exit(0)
        case ("list", 1...2), ("ls", 1...2):
            say(try client.list(words.count == 2 ? words[1] : nil))
        case ("get", 2...3):
            let local = words.count == 3 ? words[2] : baseName(words[1])
            let progress = Progress(words[1])
            try client.retrieve(words[1], to: local, progress: progress.update)
            say("downloaded \(words[1]) into \(local)\n")
        case ("put", 2...3):
            let name = words.count == 3 ? words[2] : baseName(words[1])
            let progress = Progress(words[1])
            try client.store(words[1], as: name, progress: progress.update)
            say("uploaded \(words[1]) as \(name)\n")
        default:
            say("unknown command or wrong number of arguments: \(line)\n" + menu)
        }
    } catch .refused(let reply) {
        say("server: \(reply)\n")
    } catch .localFile(let path, let error) {
        say("local file \(path): \(error)\n")
    } catch {
        say("ftp-client: \(error)\n", to: 2)
        exit(1)
    }
}
